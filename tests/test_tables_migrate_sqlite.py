"""Whole tables converge on SQLite files (issue 20): ``migrate --objects all`` creates the
tables an env lacks (foreign keys in their CREATE TABLE: SQLite has no ADD CONSTRAINT and
lets a table name a parent created later) and drops (``--drop-extra``) or stages
(``--staged-drop``) the ones only it has; each layout's files are applied with the sqlite3
shell (``-bail``; a tool's own transaction around the files that have none); then
``compare --objects all`` finds nothing and the schema SQLite reports (its pragmas and
``sqlite_schema``'s objects) is the baseline's; the rollback gives back the env that was
there.

The baseline: ``a`` (parent, with a check and an index), ``b`` (child of a), ``c``
(self-reference and a key to a), ``d`` and ``e`` (referencing each other). The env has a
and c, lacks b, d and e, and has ``x`` and ``y`` (a child of x) of its own, holding rows.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from liquibase_sql import liquibase_parts

from indexdrift.cli.main import cli
from indexdrift.core.errors import InputError
from indexdrift.ddl.layouts import LAYOUTS

PRD = """
CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'it''s',
  CONSTRAINT ck_name CHECK (length(name) > 0));
CREATE INDEX ix_name ON a (name DESC) WHERE name <> 'x';
CREATE TABLE b (id INTEGER PRIMARY KEY AUTOINCREMENT, a_id INT REFERENCES a (id)
  ON DELETE CASCADE);
CREATE TABLE c (id INTEGER PRIMARY KEY, up INT REFERENCES c (id), a_id INT,
  CONSTRAINT fk_c_a FOREIGN KEY (a_id) REFERENCES a (id) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE d (id INTEGER PRIMARY KEY, e_id INT REFERENCES e (id));
CREATE TABLE e (k TEXT PRIMARY KEY, d_id INT REFERENCES d (id), UNIQUE (d_id))
  WITHOUT ROWID;
"""

DEV = """
CREATE TABLE a (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT 'it''s',
  CONSTRAINT ck_name CHECK (length(name) > 0));
CREATE INDEX ix_name ON a (name DESC) WHERE name <> 'x';
CREATE TABLE c (id INTEGER PRIMARY KEY, up INT REFERENCES c (id), a_id INT,
  CONSTRAINT fk_c_a FOREIGN KEY (a_id) REFERENCES a (id) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE x (id INTEGER PRIMARY KEY, v TEXT CHECK (v <> 'no'));
CREATE TABLE y (id INTEGER PRIMARY KEY, x_id INT REFERENCES x (id));
CREATE INDEX ix_y_x ON y (x_id);
INSERT INTO a VALUES (1, 'one'); INSERT INTO c VALUES (1, NULL, 1);
INSERT INTO x VALUES (1, 'one'); INSERT INTO y VALUES (1, 1);
"""


def make(path: Path, sql: str) -> str:
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return f"sqlite:///{path}"


def shell(db: str, sql: str) -> None:
    """Run a script with the sqlite3 shell, stopping at the first error."""
    proc = subprocess.run(["sqlite3", "-bail", db.removeprefix("sqlite:///")], input=sql,
                          capture_output=True, text=True)
    assert proc.returncode == 0 and not proc.stderr, f"{proc.stderr}\n--- script ---\n{sql}"


def schema(db: str) -> dict:
    """What SQLite says of every table: its columns, indexes (with their columns, order,
    uniqueness, origin, partial), foreign keys, WITHOUT ROWID, and sqlite_schema's objects:
    the independent view. ``sqlite_sequence`` is not in it: SQLite creates it with the first
    AUTOINCREMENT table and never lets it be dropped (a rollback that drops that table
    leaves it, empty of the table's row; docs/tables.md)."""
    conn = sqlite3.connect(db.removeprefix("sqlite:///"))
    try:
        objects = sorted(conn.execute("SELECT type, name, tbl_name FROM sqlite_schema "
                                      "WHERE name NOT LIKE 'sqlite_autoindex%' "
                                      "AND name <> 'sqlite_sequence'"))
        out: dict = {"objects": objects}
        for (name,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' "
                                    "AND name <> 'sqlite_sequence' ORDER BY name"):
            indexes = {}
            for _, ix, unique, origin, partial in conn.execute(
                    f'PRAGMA index_list("{name}")'):
                indexes[ix] = (unique, origin, partial, conn.execute(
                    f'PRAGMA index_xinfo("{ix}")').fetchall())
            out[name] = (conn.execute(f'PRAGMA table_xinfo("{name}")').fetchall(), indexes,
                         # a key's id follows the order of declaration, which SQLite
                         # does not keep apart otherwise (one-column keys here)
                         sorted(row[1:] for row in conn.execute(
                             f'PRAGMA foreign_key_list("{name}")')),
                         conn.execute("SELECT wr, strict FROM pragma_table_list "
                                      "WHERE name = ?", (name,)).fetchall())
        return out
    finally:
        conn.close()


def checks(db: str) -> dict[str, int]:
    """How many CHECK clauses each table's stored SQL holds."""
    conn = sqlite3.connect(db.removeprefix("sqlite:///"))
    try:
        return {name: sql.upper().count("CHECK") for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_schema WHERE type = 'table'")}
    finally:
        conn.close()


def layout_text(out: Path, layout: str, env: str, direction: str) -> str:
    """An env's script as the layout's tool runs it (a tool that opens a transaction:
    BEGIN/COMMIT around it)."""
    if layout == "plain":
        return (out / (f"{env}.sql" if direction == "up" else f"{env}.rollback.sql")
                ).read_text()
    files = sorted((out / env).iterdir())
    if layout == "liquibase":
        text = liquibase_parts(files[0].read_text())[0 if direction == "up" else 1]
    elif layout == "flyway":
        text = next(f for f in files if f.name.startswith(
            "V" if direction == "up" else "U")).read_text()
    else:
        text = next(f for f in files if f.name.endswith(f".{direction}.sql")).read_text()
    return "BEGIN;\n" + text + "\nCOMMIT;\n"


def migrate(prd: str, dev: str, out: Path, layout: str, *flags: str) -> None:
    result = CliRunner().invoke(cli, ["migrate", f"prd={prd}", f"dev={dev}", "--objects",
                                      "all", "--out", str(out), "--layout", layout,
                                      "--version", "20261207", *flags])
    assert result.exit_code == 0, result.output


def compare_all(prd: str, dev: str):
    return CliRunner().invoke(cli, ["compare", f"prd={prd}", f"dev={dev}", "--objects",
                                    "all", "--format", "json"])


def rows(db: str, table: str) -> list[tuple]:
    conn = sqlite3.connect(db.removeprefix("sqlite:///"))
    try:
        return conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
    finally:
        conn.close()


def pair(tmp_path: Path, dev_sql: str | None = DEV) -> tuple[str, str]:
    prd = make(tmp_path / "prd.db", PRD)
    if dev_sql is None:
        # An empty database file: SQLite's own "no tables".
        conn = sqlite3.connect(tmp_path / "dev.db")
        conn.execute("CREATE TABLE t (a)")
        conn.execute("DROP TABLE t")
        conn.close()
        return prd, f"sqlite:///{tmp_path / 'dev.db'}"
    return prd, make(tmp_path / "dev.db", dev_sql)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_tables_created_and_dropped_round_trip_in_every_layout(tmp_path, layout):
    prd, dev = pair(tmp_path)
    before = schema(dev)
    migrate(prd, dev, tmp_path / "out", layout, "--drop-extra")
    up = layout_text(tmp_path / "out", layout, "dev", "up")
    # A created table is the baseline's stored text (its key to e, created after it).
    assert "CREATE TABLE d (id INTEGER PRIMARY KEY, e_id INT REFERENCES e (id));" in up
    # A dropped table's rollback re-creates the env's own text.
    down = layout_text(tmp_path / "out", layout, "dev", "down")
    assert "CREATE TABLE x (id INTEGER PRIMARY KEY, v TEXT CHECK (v <> 'no'));" in down
    assert "CREATE INDEX ix_y_x ON y (x_id);" in down
    shell(dev, up)
    assert compare_all(prd, dev).exit_code == 0
    assert schema(dev) == schema(prd)
    assert checks(dev) == checks(prd)
    assert rows(dev, "c") == [(1, None, 1)]
    shell(dev, layout_text(tmp_path / "out", layout, "dev", "down"))
    assert schema(dev) == before
    assert rows(dev, "c") == [(1, None, 1)] and rows(dev, "x") == []


def test_without_drop_extra_the_extra_tables_are_held(tmp_path):
    prd, dev = pair(tmp_path)
    before = schema(dev)
    migrate(prd, dev, tmp_path / "out", "plain")
    up = layout_text(tmp_path / "out", "plain", "dev", "up")
    assert "-- table extra x: exists only in this env; not dropped by default" in up
    assert '\n-- DROP TABLE "x";' in up
    shell(dev, up)
    result = compare_all(prd, dev)
    assert {(f["kind"], f["table"], f["action"]) for f in json.loads(result.output)[
        "findings"]} == {("table_extra", "x", "DROP"), ("table_extra", "y", "DROP")}
    assert rows(dev, "y") == [(1, 1)]
    shell(dev, layout_text(tmp_path / "out", "plain", "dev", "down"))
    assert schema(dev) == before


def test_staged_drop_both_steps_and_rollbacks(tmp_path):
    prd, dev = pair(tmp_path)
    before = schema(dev)
    out = tmp_path / "out"
    migrate(prd, dev, out, "flyway", "--drop-extra", "--staged-drop")
    up1 = layout_text(out, "flyway", "dev", "up")
    assert 'ALTER TABLE "x" RENAME TO "_indexdrift_dropped_x_20261207";' in up1
    shell(dev, up1)
    staged = schema(dev)
    # SQLite rewrote y's key to follow its parent's new name.
    assert staged["_indexdrift_dropped_y_20261207"][2][0][1] == "_indexdrift_dropped_x_20261207"
    assert rows(dev, "_indexdrift_dropped_y_20261207") == [(1, 1)]
    shell(dev, layout_text(out, "flyway", "dev.step2", "up"))
    assert compare_all(prd, dev).exit_code == 0
    assert schema(dev) == schema(prd)
    shell(dev, layout_text(out, "flyway", "dev.step2", "down"))
    assert schema(dev) == staged
    shell(dev, layout_text(out, "flyway", "dev", "down"))
    assert schema(dev) == before


def test_rolling_back_step_one_alone_gives_the_rows_back(tmp_path):
    prd, dev = pair(tmp_path)
    before = schema(dev)
    migrate(prd, dev, tmp_path / "out", "golang-migrate", "--drop-extra", "--staged-drop")
    shell(dev, layout_text(tmp_path / "out", "golang-migrate", "dev", "up"))
    shell(dev, layout_text(tmp_path / "out", "golang-migrate", "dev", "down"))
    assert schema(dev) == before
    assert rows(dev, "x") == [(1, "one")] and rows(dev, "y") == [(1, 1)]


def test_an_env_without_tables_gets_every_table(tmp_path):
    prd, dev = pair(tmp_path, None)
    refused = CliRunner().invoke(cli, ["compare", f"prd={prd}", f"dev={dev}"])
    assert isinstance(refused.exception, InputError)
    assert "shows no tables" in str(refused.exception)
    migrate(prd, dev, tmp_path / "out", "liquibase")
    up = layout_text(tmp_path / "out", "liquibase", "dev", "up")
    changelog = next((tmp_path / "out" / "dev").iterdir()).read_text()
    assert "-- dev has no tables: every table will be created" in changelog
    shell(dev, up)
    assert compare_all(prd, dev).exit_code == 0
    assert schema(dev) == schema(prd)
    shell(dev, layout_text(tmp_path / "out", "liquibase", "dev", "down"))
    assert schema(dev) == {"objects": []}
    assert rows(dev, "sqlite_sequence") == []  # b's row went with it


def test_children_are_dropped_before_their_parents(tmp_path):
    # Under PRAGMA foreign_keys=ON, dropping x (first by name) while y's row still
    # references it fails.
    prd, dev = pair(tmp_path)
    migrate(prd, dev, tmp_path / "out", "plain", "--drop-extra")
    up = layout_text(tmp_path / "out", "plain", "dev", "up")
    assert up.index('DROP TABLE "y"') < up.index('DROP TABLE "x"')
    shell(dev, "PRAGMA foreign_keys = ON;\n" + up)
    assert compare_all(prd, dev).exit_code == 0


def test_the_script_speaks_korean(tmp_path):
    prd, dev = pair(tmp_path)
    result = CliRunner().invoke(cli, ["migrate", f"prd={prd}", f"dev={dev}", "--objects",
                                      "all", "--stdout", "--lang", "ko", "--version", "9"])
    assert result.exit_code == 0, result.output
    assert "-- 초과 테이블 x: 이 환경에만 있습니다. 기본으로는 삭제하지 않습니다" in result.stdout
    staged = CliRunner().invoke(cli, ["migrate", f"prd={prd}", f"dev={dev}", "--objects",
                                      "all", "--stdout", "--lang", "ko", "--version", "9",
                                      "--drop-extra", "--staged-drop"])
    assert "-- 단계적 삭제 1/2단계: 테이블 2개의 이름을 보관 이름" in staged.stdout
    assert "-- 테이블 x의 단계적 삭제: _indexdrift_dropped_x_9로 이름을 바꾸고" in staged.stdout
    rollback = CliRunner().invoke(cli, ["migrate", f"prd={prd}", f"dev={dev}", "--objects",
                                        "all", "--stdout", "--lang", "ko", "--rollback",
                                        "--drop-extra"])
    assert ("-- 테이블 x를 정의대로 다시 만듭니다(구조만: 행은 복구되지 않습니다)"
            in rollback.stdout)
    assert "-- 마이그레이션이 만든 테이블 b를 삭제합니다" in rollback.stdout
