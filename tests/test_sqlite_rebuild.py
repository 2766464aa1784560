"""SQLite table rebuilds (plan/rebuild.py, dialects/sqlite/rebuild_ddl.py) on real files.

Each case: migrate --objects all; the up script applied with the ``sqlite3`` shell
(``-bail``); compare reports no drift and the table's sqlite_schema text is the baseline's
(the only difference: the table's name quoted, as ALTER TABLE … RENAME TO writes it);
rows are kept and foreign_key_check is clean; the rollback applied; sqlite_schema is the
env's again (same name-quoting rule for the rebuilt table) and its rows are back.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli

SQLITE3 = shutil.which("sqlite3")
pytestmark = pytest.mark.skipif(SQLITE3 is None, reason="the sqlite3 shell is not installed")


def make(path: Path, sql: str) -> str:
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.commit()
    conn.close()
    return f"sqlite:///{path}"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def path_of(url: str) -> str:
    return url.removeprefix("sqlite:///")


def schema(url: str) -> dict[tuple[str, str], str]:
    """(type, name) -> sql of every stored definition (autoindexes have none)."""
    conn = sqlite3.connect(path_of(url))
    try:
        return {(t, n): s for t, n, s in conn.execute(
            "SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL")}
    finally:
        conn.close()


def rows(url: str) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path_of(url))
    try:
        names = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {n: sorted(conn.execute('SELECT * FROM "' + n.replace('"', '""') + '"')
                          .fetchall(), key=repr)
                for n in names}
    finally:
        conn.close()


def fk_violations(url: str) -> list[tuple]:
    conn = sqlite3.connect(path_of(url))
    try:
        return conn.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        conn.close()


def unquote_renamed(sql: str, table: str) -> str:
    """The one difference a rebuild leaves: RENAME TO writes the table's name quoted."""
    return re.sub(r'^(\s*CREATE\s+TABLE\s+)"' + re.escape(table.replace('"', '""')) + '"',
                  lambda m: m.group(1) + table, sql, flags=re.I)


def same_schema(got: dict, want: dict, tables: tuple[str, ...]) -> bool:
    def norm(found: dict) -> dict:
        return {key: unquote_renamed(sql, key[1]) if key[0] == "table" and key[1] in tables
                else sql for key, sql in found.items()}
    return norm(got) == norm(want)


def migrate(prd: str, dev: str, *extra: str) -> tuple[str, str]:
    runner = CliRunner()
    args = ["migrate", f"prd={prd}", f"dev={dev}", "--objects", "all", "--stdout", *extra]
    up = runner.invoke(cli, args)
    assert up.exit_code == 0, up.output
    down = runner.invoke(cli, [*args, "--rollback"])
    assert down.exit_code == 0, down.output
    return up.output, down.output


def apply(url: str, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run([SQLITE3, "-bail", path_of(url)], input=sql, text=True,
                          capture_output=True, check=False)


def no_drift(prd: str, dev: str) -> None:
    result = CliRunner().invoke(cli, ["compare", f"prd={prd}", f"dev={dev}", "--objects", "all"])
    assert result.exit_code == 0, result.output


def round_trip(tmp_path: Path, prd_sql: str, dev_sql: str, data: str = "", *,
               tables: tuple[str, ...], extra: tuple[str, ...] = ("--drop-extra",),
               exact_up: bool = True) -> tuple[str, str, str]:
    """The whole cycle (see the module); returns (up, down, dev url)."""
    prd = make(tmp_path / "prd.db", prd_sql)
    dev = make(tmp_path / "dev.db", dev_sql + data)
    before_schema, before_rows = schema(dev), rows(dev)
    up, down = migrate(prd, dev, *extra)
    assert "PRAGMA foreign_keys = OFF;" in up and "pragma_foreign_key_check" in up
    for table in tables:
        assert (f"ALTER TABLE {ident('_indexdrift_new_' + table)} RENAME TO {ident(table)};"
                in up)
    done = apply(dev, up)
    assert done.returncode == 0, done.stderr
    no_drift(prd, dev)
    assert fk_violations(dev) == []
    if "DATA LOSS" not in up:
        # every row kept: its values, as text (a type change converts them), in any
        # column order (a reorder, a rename)
        def values(found: dict) -> dict:
            return {t: sorted(sorted(map(str, r)) for r in rs) for t, rs in found.items()}
        assert values(rows(dev)) == values(before_rows)
    if exact_up:
        assert same_schema(schema(dev), schema(prd), tables), (schema(dev), schema(prd))
    undone = apply(dev, down)
    assert undone.returncode == 0, undone.stderr
    assert same_schema(schema(dev), before_schema, tables)
    after = rows(dev)
    for table, found in before_rows.items():
        if table not in tables or "DATA LOSS" not in up:
            assert after[table] == found, table
    return up, down, dev


PARENT = "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE, a INT, b INT, UNIQUE (a, b));\n"
ROWS = ("INSERT INTO p VALUES (1, 'x', 1, 1), (2, 'y', 1, 2);\n"
        "INSERT INTO c VALUES (10, 1, 'n1'), (11, 2, 'n2'), (12, NULL, 'n3');\n")


def test_foreign_key_added(tmp_path):
    up, _, _ = round_trip(
        tmp_path, PARENT + "CREATE TABLE c (id INTEGER PRIMARY KEY, "
        "pid INT REFERENCES p (id), note TEXT);",
        PARENT + "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT, note TEXT);", ROWS,
        tables=("c",))
    # one step: no ALTER TABLE … ADD CONSTRAINT (SQLite has none), no separate statements
    assert up.count("CREATE TABLE") == 1 and "ADD CONSTRAINT" not in up


def test_foreign_key_dropped(tmp_path):
    round_trip(tmp_path, PARENT + "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT, note TEXT);",
               PARENT + "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT REFERENCES p (id), "
               "note TEXT);", ROWS, tables=("c",))


def test_foreign_key_on_delete_changed(tmp_path):
    prd_sql = PARENT + ("CREATE TABLE c (id INTEGER PRIMARY KEY, "
                        "pid INT REFERENCES p (id) ON DELETE CASCADE, note TEXT);")
    _, _, dev = round_trip(
        tmp_path, prd_sql, PARENT + "CREATE TABLE c (id INTEGER PRIMARY KEY, "
        "pid INT REFERENCES p (id) ON DELETE SET NULL, note TEXT);", ROWS, tables=("c",))
    # rolled back: SET NULL again
    conn = sqlite3.connect(path_of(dev), isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM p WHERE id = 1")
    assert conn.execute("SELECT pid FROM c WHERE id = 10").fetchone() == (None,)
    conn.close()


def test_composite_foreign_key(tmp_path):
    round_trip(
        tmp_path, PARENT + "CREATE TABLE c (id INTEGER PRIMARY KEY, x INT, y INT, note TEXT, "
        "FOREIGN KEY (x, y) REFERENCES p (a, b));",
        PARENT + "CREATE TABLE c (id INTEGER PRIMARY KEY, x INT, y INT, note TEXT);",
        PARENT.replace(PARENT, "") + "INSERT INTO p VALUES (1, 'x', 1, 1);"
        "INSERT INTO c VALUES (1, 1, 1, 'ok'), (2, NULL, NULL, 'none');", tables=("c",))


def test_self_referencing_foreign_key(tmp_path):
    up, _, dev = round_trip(
        tmp_path, "CREATE TABLE node (id INTEGER PRIMARY KEY, parent INT REFERENCES node (id));",
        "CREATE TABLE node (id INTEGER PRIMARY KEY, parent INT);",
        "INSERT INTO node VALUES (1, NULL), (2, 1), (3, 2);", tables=("node",))
    # the key names the final table in the temporary one (RENAME leaves it so)
    assert 'CREATE TABLE "_indexdrift_new_node" (id INTEGER PRIMARY KEY, parent INT ' \
           'REFERENCES node (id));' in up


@pytest.mark.parametrize(("prd_check", "dev_check"), [
    (", CHECK (note <> '')", ""),                       # added
    (", CHECK (length(note) < 10)", ", CHECK (length(note) < 5)"),  # changed
    ("", ", CONSTRAINT ck_note CHECK (note <> '')"),     # dropped
])
def test_checks(tmp_path, prd_check, dev_check):
    round_trip(tmp_path, f"CREATE TABLE c (id INTEGER PRIMARY KEY, note TEXT{prd_check});",
               f"CREATE TABLE c (id INTEGER PRIMARY KEY, note TEXT{dev_check});",
               "INSERT INTO c VALUES (1, 'abc'), (2, 'de');", tables=("c",))


@pytest.mark.parametrize(("prd_opts", "dev_opts"), [
    (" WITHOUT ROWID", ""), ("", " WITHOUT ROWID"), (" STRICT", ""), ("", " STRICT"),
    (" WITHOUT ROWID, STRICT", ""),
])
def test_table_options_toggled(tmp_path, prd_opts, dev_opts):
    round_trip(tmp_path, f"CREATE TABLE t (k TEXT PRIMARY KEY NOT NULL, v INTEGER){prd_opts};",
               f"CREATE TABLE t (k TEXT PRIMARY KEY NOT NULL, v INTEGER){dev_opts};",
               "INSERT INTO t VALUES ('a', 1), ('b', 2);", tables=("t",))


def test_column_type_change_with_an_index_on_it(tmp_path):
    up, _, _ = round_trip(
        tmp_path, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\nCREATE INDEX ix_v ON t (v);",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, v INT);\nCREATE INDEX ix_v ON t (v);",
        "INSERT INTO t VALUES (1, 5), (2, 7);", tables=("t",))
    assert "CREATE INDEX ix_v ON t (v);" in up


def test_dropping_a_column_in_a_unique_index(tmp_path):
    up, down, dev = round_trip(
        tmp_path, "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT);",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, UNIQUE (a, b));",
        "INSERT INTO t VALUES (1, 'x', 'p'), (2, 'y', 'q');", tables=("t",))
    assert "-- DATA LOSS: the values of column(s) b of t are not copied" in up
    assert "column(s) b of t come back with their DEFAULT (or NULL) only" in down
    assert rows(dev)["t"] == [(1, "x", None), (2, "y", None)]


def test_extra_column_is_kept_without_drop_extra(tmp_path):
    prd = make(tmp_path / "prd.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, "
               "CHECK (a <> ''));")
    dev = make(tmp_path / "dev.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT);"
               "INSERT INTO t VALUES (1, 'x', 'keep');")
    up, _ = migrate(prd, dev)
    assert "DATA LOSS" not in up and "-- ALTER TABLE \"t\" DROP COLUMN \"b\";" in up
    assert apply(dev, up).returncode == 0
    assert rows(dev)["t"] == [(1, "x", "keep")]
    result = CliRunner().invoke(cli, ["compare", f"prd={prd}", f"dev={dev}", "--objects",
                                      "all", "--format", "json"])
    assert '"column_extra"' in result.output and '"check_missing"' not in result.output


def test_a_table_with_a_trigger_and_a_view(tmp_path):
    dev_sql = ("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);\n"
               "CREATE TABLE log (msg TEXT);\n"
               "CREATE VIEW tv AS SELECT id, upper(v) AS u FROM t;\n"
               "CREATE VIEW tv2 AS SELECT u FROM tv;\n"
               "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN\n"
               "  INSERT INTO log VALUES ('t:' || new.v);\nEND;\n"
               "CREATE TRIGGER log_ins AFTER INSERT ON log WHEN new.msg = 'x' BEGIN\n"
               "  DELETE FROM t WHERE v = 'x';\nEND;\n")
    prd_sql = ("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT CHECK (v <> ''));\n"
               "CREATE TABLE log (msg TEXT);\n")
    up, _, dev = round_trip(tmp_path, prd_sql, dev_sql, "INSERT INTO t VALUES (1, 'a');",
                            tables=("t",), exact_up=False)
    got, want = schema(dev), schema(make(tmp_path / "d2.db", dev_sql))
    assert {k: v for k, v in got.items() if k[0] in ("trigger", "view")} == {
        k: v for k, v in want.items() if k[0] in ("trigger", "view")}
    # the triggers still fire after the rebuilds
    conn = sqlite3.connect(path_of(dev))
    conn.execute("INSERT INTO t VALUES (2, 'b')")
    assert conn.execute("SELECT u FROM tv2 ORDER BY u").fetchall() == [("A",), ("B",)]
    assert conn.execute("SELECT msg FROM log ORDER BY msg").fetchall() == [("t:a",), ("t:b",)]
    conn.close()
    # views are dropped before the rename (which checks the whole schema), tv2 first
    assert up.index('DROP VIEW "tv2";') < up.index('DROP VIEW "tv";') < up.index(
        'ALTER TABLE "_indexdrift_new_t"')
    assert 'DROP TRIGGER "log_ins";' in up


def test_child_table_keeps_its_foreign_key_to_the_rebuilt_parent(tmp_path):
    child = ("CREATE TABLE k (id INTEGER PRIMARY KEY, pid INT REFERENCES p (id) "
             "ON DELETE CASCADE);\n")
    prd_sql = "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');\n" + child
    dev_sql = "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT);\n" + child
    data = "INSERT INTO p VALUES (1, 'a'), (2, 'b');\nINSERT INTO k VALUES (1, 1), (2, 2);"
    up, _, dev = round_trip(tmp_path, prd_sql, dev_sql, data, tables=("p",))
    assert "pragma_foreign_key_check('k')" in up  # the child is checked too
    # the child's key still names p (no rename rewrote it) and still works: with keys on,
    # deleting the parent cascades; the DROP TABLE of the rebuild (keys off) did not
    assert schema(dev)[("table", "k")] == child.strip().removesuffix(";")
    conn = sqlite3.connect(path_of(dev), isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM p WHERE id = 1")
    assert conn.execute("SELECT id FROM k").fetchall() == [(2,)]
    conn.close()


def test_legacy_alter_table_on_keeps_the_child_key_too(tmp_path):
    """With legacy_alter_table on, RENAME rewrites nothing: the child's key names p."""
    child = "CREATE TABLE k (id INTEGER PRIMARY KEY, pid INT REFERENCES p (id))"
    prd = make(tmp_path / "prd.db", "CREATE TABLE p (id INTEGER PRIMARY KEY, n INT CHECK "
               f"(n > 0));\n{child};")
    dev = make(tmp_path / "dev.db", f"CREATE TABLE p (id INTEGER PRIMARY KEY, n INT);\n{child};"
               "INSERT INTO p VALUES (1, 1); INSERT INTO k VALUES (1, 1);")
    up, _ = migrate(prd, dev)
    done = apply(dev, "PRAGMA legacy_alter_table = ON;\n" + up)
    assert done.returncode == 0, done.stderr
    no_drift(prd, dev)
    assert schema(dev)[("table", "k")] == child and fk_violations(dev) == []


def test_a_broken_key_rolls_the_whole_migration_back(tmp_path):
    prd = make(tmp_path / "prd.db", PARENT + "CREATE TABLE c (id INTEGER PRIMARY KEY, "
               "pid INT REFERENCES p (id), note TEXT);")
    dev = make(tmp_path / "dev.db", PARENT + "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT, "
               "note TEXT);" + ROWS + "INSERT INTO c VALUES (13, 99, 'orphan');")
    before, data = schema(dev), rows(dev)
    up, _ = migrate(prd, dev)
    done = apply(dev, up)
    assert done.returncode != 0 and "CHECK constraint failed" in done.stderr
    assert schema(dev) == before and rows(dev) == data
    # so does a driver's executescript, which stops at the error too
    conn = sqlite3.connect(path_of(dev), isolation_level=None)
    with pytest.raises(sqlite3.IntegrityError):
        conn.executescript(up)
    conn.close()
    assert schema(dev) == before and rows(dev) == data


def test_a_copy_that_fails_leaves_the_table(tmp_path):
    prd = make(tmp_path / "prd.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL "
               "DEFAULT '');")
    dev = make(tmp_path / "dev.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
               "INSERT INTO t VALUES (1, NULL);")
    before, data = schema(dev), rows(dev)
    up, _ = migrate(prd, dev)
    done = apply(dev, up)
    assert done.returncode != 0 and "NOT NULL constraint failed" in done.stderr
    assert schema(dev) == before and rows(dev) == data


def test_new_not_null_column_without_default_is_held(tmp_path):
    prd = make(tmp_path / "prd.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);")
    dev = make(tmp_path / "dev.db", "CREATE TABLE t (id INTEGER PRIMARY KEY);")
    up, _ = migrate(prd, dev)
    assert "-- table rebuild t: NOT APPLIED" in up
    assert "column v is added NOT NULL without a DEFAULT" in up
    assert "PRAGMA" not in up and "CREATE TABLE" not in up


def test_renamed_column_keeps_its_values(tmp_path):
    up, _, dev = round_trip(
        tmp_path, "CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT, CHECK (id > 0));",
        "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT);",
        "INSERT INTO t VALUES (1, 'one');", tables=("t",))
    assert 'INSERT INTO "_indexdrift_new_t" ("id", "label") SELECT "id", "name" FROM "t";' in up


def test_tool_layouts_refuse_a_rebuild(tmp_path):
    prd = make(tmp_path / "prd.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, v INT CHECK (v > 0));")
    dev = make(tmp_path / "dev.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, v INT);")
    result = CliRunner().invoke(cli, ["migrate", f"prd={prd}", f"dev={dev}", "--objects", "all",
                                      "--layout", "flyway", "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "--layout plain" in result.output + str(result.exception)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.sql"))


def test_korean_script_says_the_procedure_in_korean(tmp_path):
    prd = make(tmp_path / "prd.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, v INT CHECK (v > 0));")
    dev = make(tmp_path / "dev.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, v INT);")
    result = CliRunner().invoke(cli, ["migrate", f"prd={prd}", f"dev={dev}", "--objects", "all",
                                      "--stdout", "--lang", "ko"])
    assert result.exit_code == 0, result.output
    assert "-- 테이블 t를 재구성합니다" in result.output
    assert "-- 테이블 재구성: 이 연결의 외래 키를 끕니다" in result.output
    assert "rebuilds table" not in result.output


def test_stored_texts_are_written_back_as_one_statement_each():
    from indexdrift.dialects.sqlite.catalog import statement_text

    assert statement_text("CREATE VIEW v AS SELECT 1") == "CREATE VIEW v AS SELECT 1;"
    # SQLite keeps a trailing comment in the text: the ";" goes on a line of its own
    assert statement_text("CREATE VIEW v AS SELECT 1 -- c") == "CREATE VIEW v AS SELECT 1 -- c\n;"
    trigger = "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; SELECT ';'; END"
    assert statement_text(trigger) == trigger + ";"
    assert statement_text("CREATE VIEW v AS SELECT 1; DROP TABLE t") is None
    assert statement_text("CREATE VIEW v AS SELECT ';' AS \"a;\" -- ;\n") is not None
    body = "".join("SELECT 1; " for _ in range(300))
    assert statement_text(f"CREATE TRIGGER tr AFTER INSERT ON t BEGIN {body}END") is None


def test_a_view_with_a_trailing_comment_survives_the_rebuild(tmp_path):
    view = "CREATE VIEW v AS SELECT a FROM t -- the a column"
    round_trip(tmp_path, "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT CHECK (a > 0));",
               f"CREATE TABLE t (id INTEGER PRIMARY KEY, a INT);\n{view}\n;",
               "INSERT INTO t VALUES (1, 2);", tables=("t",), exact_up=False)


def test_a_definition_that_is_not_one_statement_holds_the_rebuild(tmp_path):
    prd = make(tmp_path / "prd.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT CHECK (a > 0));")
    dev = make(tmp_path / "dev.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT);"
               "CREATE VIEW v AS SELECT a FROM t;")
    conn = sqlite3.connect(path_of(dev))
    conn.execute("PRAGMA writable_schema = ON")  # what only a hand-edited schema holds
    conn.execute("UPDATE sqlite_schema SET sql = 'CREATE VIEW v AS SELECT a FROM t /* open' "
                 "WHERE name = 'v'")
    conn.commit()
    conn.close()
    up, _ = migrate(prd, dev)
    assert "-- table rebuild t: NOT APPLIED" in up and "definition of v is not exactly" in up
    assert "DROP TABLE" not in up


def test_extra_foreign_key_and_check_are_kept_without_drop_extra(tmp_path):
    prd = make(tmp_path / "prd.db", PARENT + "CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT, "
               "note TEXT NOT NULL DEFAULT '');")
    dev_sql = PARENT + ("CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT REFERENCES p (id), "
                        "note TEXT, CONSTRAINT ck_note CHECK (note <> 'x'));")
    dev = make(tmp_path / "dev.db", dev_sql + ROWS)
    up, down = migrate(prd, dev)
    assert "-- foreign key extra fk_c_pid: exists only in this env; the table rebuild keeps it" \
        in up
    assert "-- check extra ck_note: exists only in this env; the table rebuild keeps it" in up
    before = schema(dev)
    assert apply(dev, up).returncode == 0
    result = CliRunner().invoke(cli, ["compare", f"prd={prd}", f"dev={dev}", "--objects",
                                      "all", "--format", "json"])
    kinds = {(f["kind"], f.get("column") or f.get("constraint")) for f in
             __import__("json").loads(result.output)["findings"]}
    assert kinds == {("foreign_key_extra", "fk_c_pid"), ("check_extra", "ck_note")}
    assert apply(dev, down).returncode == 0
    assert same_schema(schema(dev), before, ("c",))
    # with --drop-extra they go in the same rebuild
    up, _ = migrate(prd, dev, "--drop-extra")
    assert apply(dev, up).returncode == 0
    no_drift(prd, dev)


def test_hostile_names_are_quoted_through_the_rebuild(tmp_path):
    name = 'we"ird\'t; DROP TABLE x'
    q = '"' + name.replace('"', '""') + '"'
    up, _, _ = round_trip(
        tmp_path, f"CREATE TABLE x (id INT);\nCREATE TABLE {q} (id INTEGER PRIMARY KEY, "
        f"[a b] INT CHECK ([a b] > 0));",
        f"CREATE TABLE x (id INT);\nCREATE TABLE {q} (id INTEGER PRIMARY KEY, [a b] INT);\n"
        f"CREATE VIEW \"v'\" AS SELECT [a b] FROM {q};",
        f"INSERT INTO {q} VALUES (1, 2);", tables=(name,), exact_up=False)
    assert "pragma_foreign_key_check('we\"ird''t; DROP TABLE x')" in up
    assert 'DROP VIEW "v\'";' in up


def test_autoincrement_never_gives_a_deleted_id_again(tmp_path):
    table = "CREATE TABLE n (id INTEGER PRIMARY KEY AUTOINCREMENT, v INT{})"
    _, _, dev = round_trip(tmp_path, table.format(" CHECK (v > 0)") + ";", table.format("") + ";",
                           "INSERT INTO n (v) VALUES (1), (2), (3); DELETE FROM n WHERE id = 3;",
                           tables=("n",))
    conn = sqlite3.connect(path_of(dev))
    assert conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'n'").fetchall() == [(3,)]
    assert conn.execute("INSERT INTO n (v) VALUES (9) RETURNING id").fetchone() == (4,)
    conn.close()


def test_rowids_are_kept_in_a_table_without_an_alias(tmp_path):
    _, _, dev = round_trip(tmp_path, "CREATE TABLE r (name TEXT, oid INT CHECK (oid > 0));",
                           "CREATE TABLE r (name TEXT, oid INT);",
                           "INSERT INTO r (rowid, name, oid) VALUES (1, 'a', 1), (7, 'b', 2);",
                           tables=("r",))
    conn = sqlite3.connect(path_of(dev))
    assert conn.execute("SELECT _rowid_, name FROM r ORDER BY 1").fetchall() == [
        (1, "a"), (7, "b")]
    conn.close()


def test_index_changes_go_into_the_rebuild_and_a_held_extra_index_is_kept(tmp_path):
    prd = make(tmp_path / "prd.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, b INT "
               "CHECK (b > 0));\nCREATE INDEX ix_new ON t (a, b);\nCREATE INDEX ix_same ON t (b);")
    dev = make(tmp_path / "dev.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, b INT);\n"
               "CREATE INDEX ix_old ON t (a);\nCREATE INDEX ix_same ON t (b);"
               "INSERT INTO t VALUES (1, 1, 1);")
    before = schema(dev)
    up, down = migrate(prd, dev)
    body = [line for line in up.splitlines() if line and not line.startswith("--")]
    # one rebuild: no index statement outside it, the extra index re-created as it was
    assert [line for line in body if line.startswith(("CREATE INDEX", "DROP INDEX"))] == [
        "CREATE INDEX ix_new ON t (a, b);", "CREATE INDEX ix_same ON t (b);",
        "CREATE INDEX ix_old ON t (a);"]
    assert '-- DROP INDEX "ix_old";' in up  # held: shown for review, as before
    assert apply(dev, up).returncode == 0
    result = CliRunner().invoke(cli, ["compare", f"prd={prd}", f"dev={dev}", "--objects",
                                      "all", "--format", "json"])
    assert [(f["kind"], f["index"]) for f in __import__("json").loads(result.output)[
        "findings"]] == [("extra", "ix_old")]
    assert apply(dev, down).returncode == 0
    assert same_schema(schema(dev), before, ("t",))


def test_columns_are_put_in_the_baseline_order(tmp_path):
    _, _, dev = round_trip(tmp_path, "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, b TEXT);",
                           "CREATE TABLE t (id INTEGER PRIMARY KEY, b TEXT, a INT);",
                           "INSERT INTO t VALUES (1, 'x', 2);", tables=("t",))
    conn = sqlite3.connect(path_of(dev))
    assert conn.execute("SELECT * FROM t").fetchall() == [(1, "x", 2)]  # rolled back
    conn.close()


def _snapshot(url: str, out: Path) -> str:
    result = CliRunner().invoke(cli, ["snapshot", url, "-o", str(out), "--objects", "all"])
    assert result.exit_code == 0, result.output
    return str(out)


def test_a_snapshot_baseline_is_rebuilt_from_the_model(tmp_path):
    prd_sql = ("CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE);\n"
               "CREATE TABLE c (id INTEGER PRIMARY KEY, code TEXT REFERENCES p (code) ON DELETE "
               "CASCADE, n INT NOT NULL DEFAULT 0, CONSTRAINT ck_n CHECK (n >= 0)) STRICT;\n"
               "CREATE INDEX ix_n ON c (n DESC);")
    prd = _snapshot(make(tmp_path / "prd.db", prd_sql), tmp_path / "prd.json")
    dev = make(tmp_path / "dev.db", "CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE);\n"
               "CREATE TABLE c (id INTEGER PRIMARY KEY, code TEXT, n INT);\n"
               "INSERT INTO p VALUES (1, 'a'); INSERT INTO c VALUES (1, 'a', 2);")
    before = schema(dev)
    up, down = migrate(prd, dev)
    assert 'CREATE TABLE "_indexdrift_new_c" (\n  "id" integer PRIMARY KEY,' in up  # the model
    assert apply(dev, up).returncode == 0
    no_drift(prd, dev)
    assert rows(dev)["c"] == [(1, "a", 2)]
    assert apply(dev, down).returncode == 0
    assert same_schema(schema(dev), before, ("c",))


def test_an_env_that_is_no_sqlite_file_holds_the_rebuild(tmp_path):
    prd = make(tmp_path / "prd.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT CHECK (a > 0));")
    dev = _snapshot(make(tmp_path / "dev.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT);"
                         "CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END;"),
                    tmp_path / "dev.json")
    up, _ = migrate(prd, dev)
    assert "-- table rebuild t: NOT APPLIED" in up
    assert "not read from a SQLite file, so its triggers and views are not known" in up
    assert "DROP TABLE" not in up
