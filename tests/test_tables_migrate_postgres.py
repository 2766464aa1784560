"""Whole tables converge on the real PostgreSQL (issue 20): ``migrate --objects all``
creates the tables an env lacks and drops (``--drop-extra``) or stages
(``--staged-drop``) the ones only it has; the files are applied with psql (golang-migrate:
each file as one query, as its driver runs it); then ``compare --objects all`` finds
nothing and ``pg_dump --schema-only`` of the env is the baseline's; the rollback gives back
exactly the env that was there.

The baseline: ``a`` (parent, with a comment, a check, an index and a serial), ``b``
(child of a), ``c`` (self-reference and a key to a), ``d`` and ``e`` (referencing each
other), ``f`` (unlogged). The env lacks a, b, e and f, has c and d without their keys to
the missing tables, and has ``x`` and ``y`` (a child of x) of its own, holding rows.
c lacks an index it has in the baseline: a CREATE INDEX CONCURRENTLY, outside the
transactions (golang-migrate: a file of its own). Staged drops rename a serial's
sequence with its table, so that pg_dump sees the same schema after every step and
rollback.
"""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner
from conftest import POSTGRES
from postgres_apply import apply_layout, psql

from indexdrift.cli.main import cli
from indexdrift.core.errors import SourceError
from indexdrift.ddl.layouts import LAYOUTS

pytestmark = pytest.mark.postgres

PRD = """
CREATE TABLE a (id serial PRIMARY KEY, name text NOT NULL DEFAULT 'it''s'
  CONSTRAINT ck_name CHECK (name <> ''), code varchar(10) UNIQUE);
CREATE INDEX ix_name ON a (lower(name)) WHERE code IS NOT NULL;
COMMENT ON TABLE a IS 'the \\ parent';
COMMENT ON COLUMN a.name IS 'its name';
CREATE TABLE b (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  a_id int CONSTRAINT fk_b_a REFERENCES a (id) ON DELETE CASCADE);
CREATE INDEX ix_b_a ON b (a_id);
CREATE TABLE c (id int PRIMARY KEY, up int CONSTRAINT fk_c_up REFERENCES c (id),
  a_id int CONSTRAINT fk_c_a REFERENCES a (id) DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX ix_c_a ON c (a_id);
CREATE TABLE d (id int PRIMARY KEY, e_id int);
CREATE TABLE e (id int PRIMARY KEY, d_id int);
CREATE UNLOGGED TABLE f (id int PRIMARY KEY, note text);
ALTER TABLE d ADD CONSTRAINT fk_d_e FOREIGN KEY (e_id) REFERENCES e (id);
ALTER TABLE e ADD CONSTRAINT fk_e_d FOREIGN KEY (d_id) REFERENCES d (id) ON UPDATE CASCADE;
"""

DEV = """
CREATE TABLE c (id int PRIMARY KEY, up int CONSTRAINT fk_c_up REFERENCES c (id), a_id int);
CREATE TABLE d (id int PRIMARY KEY, e_id int);
CREATE TABLE x (id serial PRIMARY KEY, v text DEFAULT E'x\\\\y' CONSTRAINT ck_v CHECK (v <> 'no'));
COMMENT ON TABLE x IS 'extra';
CREATE TABLE y (id int PRIMARY KEY, x_id int CONSTRAINT fk_y_x REFERENCES x (id));
CREATE INDEX ix_y_x ON y (x_id);
INSERT INTO c VALUES (1, NULL, NULL), (2, 1, NULL);
INSERT INTO x (v) VALUES ('one'); INSERT INTO y VALUES (1, 1);
"""


def schema_dump(db: str) -> str:
    """``pg_dump --schema-only`` of ``db``: the independent view of the schema (its
    per-run ``\\restrict`` key lines and comments left out)."""
    proc = subprocess.run(["pg_dump", "--schema-only", "--no-owner", "-h", POSTGRES["host"],
                           "-p", str(POSTGRES["port"]), "-U", POSTGRES["user"], db],
                          capture_output=True, text=True, check=True)
    return "\n".join(line for line in proc.stdout.splitlines()
                     if line and not line.startswith(("--", "\\")))


def rows(postgres, db: str, table: str) -> list[tuple]:
    with postgres.psycopg.connect(dbname=db, **POSTGRES) as conn:
        return conn.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()


def migrate(postgres, prd: str, dev: str, out, layout: str, *flags: str) -> None:
    result = CliRunner().invoke(cli, ["migrate", f"prd={postgres.url(prd)}",
                                      f"dev={postgres.url(dev)}", "--objects", "all",
                                      "--no-usage", "--out", str(out), "--layout", layout,
                                      "--version", "20261207", *flags])
    assert result.exit_code == 0, result.output


def compare_all(postgres, prd: str, dev: str):
    return CliRunner().invoke(cli, ["compare", f"prd={postgres.url(prd)}",
                                    f"dev={postgres.url(dev)}", "--objects", "all",
                                    "--no-usage", "--format", "json"])


def pair(postgres, dev_sql: str = DEV) -> tuple[str, str]:
    prd, dev = postgres.create_db("tp"), postgres.create_db("td")
    postgres.run(prd, PRD)
    if dev_sql:
        postgres.run(dev, dev_sql)
    return prd, dev


@pytest.mark.parametrize("layout", LAYOUTS)
def test_tables_created_and_dropped_round_trip_in_every_layout(postgres, tmp_path, layout):
    prd, dev = pair(postgres)
    before = schema_dump(dev)
    migrate(postgres, prd, dev, tmp_path, layout, "--drop-extra")
    if layout == "golang-migrate":  # CONCURRENTLY: a version of its own, the rest shares
        for path in (tmp_path / "dev").glob("*.sql"):
            body = [line for line in path.read_text().splitlines()
                    if line.endswith(";") and not line.startswith("--")]
            assert len(body) == 1 or not any("CONCURRENTLY" in line for line in body)
        assert len(list((tmp_path / "dev").glob("*.up.sql"))) <= 5
    if layout == "flyway":
        assert (tmp_path / "dev" / "V20261207__indexdrift_dev.sql.conf").exists()
    apply_layout(tmp_path, layout, dev, "up")
    assert compare_all(postgres, prd, dev).exit_code == 0
    assert schema_dump(dev) == schema_dump(prd)
    assert rows(postgres, dev, "c") == [(1, None, None), (2, 1, None)]
    apply_layout(tmp_path, layout, dev, "down")
    assert schema_dump(dev) == before
    assert rows(postgres, dev, "c") == [(1, None, None), (2, 1, None)]


def test_the_script_orders_creates_keys_and_drops(postgres, tmp_path):
    prd, dev = pair(postgres)
    migrate(postgres, prd, dev, tmp_path, "plain", "--drop-extra")
    up = (tmp_path / "dev.sql").read_text()
    down = (tmp_path / "dev.rollback.sql").read_text()
    last_create = max(up.index(f'CREATE {kind}TABLE "public"."{t}"')
                      for t, kind in (("a", ""), ("b", ""), ("e", ""), ("f", "UNLOGGED ")))
    assert all(up.index(f'ADD CONSTRAINT "{k}"') > last_create
               for k in ("fk_b_a", "fk_c_a", "fk_d_e", "fk_e_d"))
    assert up.index('DROP CONSTRAINT "fk_y_x"') < up.index('DROP TABLE "public"."x"')
    # A table, its indexes and comments are created in one transaction; the existing
    # table's new index is built CONCURRENTLY, outside any.
    assert 'BEGIN;\n\nCREATE TABLE "public"."a"' in up
    assert 'CREATE INDEX CONCURRENTLY "ix_c_a"' in up
    assert "WARNING: drops table x and ALL ITS ROWS" in up
    assert "re-creates table x as it was defined (structure only" in down


def test_without_drop_extra_the_extra_tables_are_held(postgres, tmp_path):
    prd, dev = pair(postgres)
    before = schema_dump(dev)
    migrate(postgres, prd, dev, tmp_path, "flyway")
    apply_layout(tmp_path, "flyway", dev, "up")
    result = compare_all(postgres, prd, dev)
    assert result.exit_code == 1
    assert {(f["kind"], f["table"], f["action"]) for f in json.loads(result.output)[
        "findings"]} == {("table_extra", "x", "DROP"), ("table_extra", "y", "DROP")}
    assert rows(postgres, dev, "y") == [(1, 1)]
    up = next((tmp_path / "dev").glob("V*.sql")).read_text()
    assert "-- table extra y: exists only in this env; not dropped by default" in up
    assert '\n-- DROP TABLE "public"."y";' in up
    apply_layout(tmp_path, "flyway", dev, "down")
    assert schema_dump(dev) == before


@pytest.mark.parametrize("layout", ["plain", "golang-migrate"])
def test_staged_drop_both_steps_and_rollbacks(postgres, tmp_path, layout):
    prd, dev = pair(postgres)
    before = schema_dump(dev)
    migrate(postgres, prd, dev, tmp_path, layout, "--drop-extra", "--staged-drop")
    apply_layout(tmp_path, layout, dev, "up")
    staged = schema_dump(dev)
    assert "public._indexdrift_dropped_x_20261207 " in staged
    assert rows(postgres, dev, "_indexdrift_dropped_y_20261207") == [(1, 1)]
    apply_layout(tmp_path, layout, dev, "up", env="dev.step2")
    assert compare_all(postgres, prd, dev).exit_code == 0
    assert schema_dump(dev) == schema_dump(prd)
    apply_layout(tmp_path, layout, dev, "down", env="dev.step2")
    assert schema_dump(dev) == staged
    apply_layout(tmp_path, layout, dev, "down")
    assert schema_dump(dev) == before
    assert rows(postgres, dev, "x") == []  # step 2 dropped them: structure only


def test_rolling_back_step_one_alone_gives_the_rows_back(postgres, tmp_path):
    prd, dev = pair(postgres)
    before = schema_dump(dev)
    migrate(postgres, prd, dev, tmp_path, "plain", "--drop-extra", "--staged-drop")
    up = (tmp_path / "dev.sql").read_text()
    assert ('ALTER SEQUENCE IF EXISTS "public"."x_id_seq" RENAME TO '
            '"_indexdrift_dropped_x_20261207_id_seq";') in up
    apply_layout(tmp_path, "plain", dev, "up")
    apply_layout(tmp_path, "plain", dev, "down")
    assert schema_dump(dev) == before
    assert rows(postgres, dev, "x") == [(1, "one")] and rows(postgres, dev, "y") == [(1, 1)]


def test_an_env_without_tables_gets_every_table(postgres, tmp_path):
    prd, dev = pair(postgres, "")
    refused = CliRunner().invoke(cli, ["compare", f"prd={postgres.url(prd)}",
                                       f"dev={postgres.url(dev)}", "--no-usage"])
    assert isinstance(refused.exception, SourceError)
    assert "shows no tables" in str(refused.exception)
    report = CliRunner().invoke(cli, ["compare", f"prd={postgres.url(prd)}",
                                      f"dev={postgres.url(dev)}", "--no-usage",
                                      "--objects", "all", "--lang", "ko", "--format", "md"])
    assert report.exit_code == 1
    assert "dev에 테이블이 없습니다: 모든 테이블을 만듭니다" in report.output
    migrate(postgres, prd, dev, tmp_path, "liquibase")
    apply_layout(tmp_path, "liquibase", dev, "up")
    assert compare_all(postgres, prd, dev).exit_code == 0
    assert schema_dump(dev) == schema_dump(prd)
    apply_layout(tmp_path, "liquibase", dev, "down")
    assert schema_dump(dev) == schema_dump(postgres.create_db("empty"))


def test_a_key_the_run_keeps_holds_the_drop_of_its_parent(postgres, tmp_path):
    prd, dev = pair(postgres)
    postgres.run(dev, "ALTER TABLE c ADD COLUMN x_id int CONSTRAINT fk_c_x REFERENCES x (id)")
    result = CliRunner().invoke(cli, ["migrate", f"prd={postgres.url(prd)}",
                                      f"dev={postgres.url(dev)}", "--objects", "tables",
                                      "--no-usage", "--stdout", "--drop-extra"])
    assert result.exit_code == 0, result.output
    assert ("-- table extra x: NOT APPLIED: table c keeps its foreign key fk_c_x to it"
            in result.output)
    assert 'DROP TABLE "public"."x"' not in result.output
    psql(dev, result.output)


def test_the_sequence_names_are_the_servers(postgres):
    from indexdrift.dialects.postgresql.table_ddl import sequence_name

    db = postgres.create_db("seq")
    cases = [("t", "id"), ("t" * 60, "id"), ("a" * 40, "c" * 40), ("테이블" * 8, "열")]
    for table, column in cases:
        postgres.run(db, f'CREATE TABLE "{table}" ("{column}" serial)')
        with postgres.psycopg.connect(dbname=db, **POSTGRES) as conn:
            found = conn.execute("SELECT s.relname FROM pg_class s JOIN pg_depend d ON "
                                 "d.objid = s.oid JOIN pg_class t ON t.oid = d.refobjid "
                                 "WHERE s.relkind = 'S' AND t.relname = %s",
                                 (table[:63] if table.isascii() else table,)).fetchall()
        assert found == [(sequence_name(table, column),)], (table, column)
