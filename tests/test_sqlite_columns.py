"""SQLite columns (``--objects columns``) on real files: what the reader reads of each
column, the spellings SQLite reads alike that are no drift, the differences that are, and
the command line (compare reports them; migrate says column migrations are not written)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.sources import open_source


def _db(path, sql: str) -> str:
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return f"sqlite:///{path}"


def _columns(url: str, table: str = "t") -> dict:
    return open_source(url, "x", columns=True).tables[table].columns


def _column_findings(tmp_path, base_sql: str, env_sql: str) -> list[tuple]:
    base = open_source(_db(tmp_path / "base.db", base_sql), "prd", columns=True)
    env = open_source(_db(tmp_path / "env.db", env_sql), "dev", columns=True)
    return [(f.kind, f.column, tuple(f.changes))
            for f in compare({"prd": base, "dev": env}, "prd").findings if f.column]


def test_every_field_of_a_column_is_read(tmp_path):
    url = _db(tmp_path / "a.db", """
        CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR (20) NOT NULL
          DEFAULT 'it''s' COLLATE nocase, n DEFAULT (1+2), w DEFAULT word, s INT AS (id * 2)
          STORED, v GENERATED ALWAYS AS (lower(name)) VIRTUAL, z);
        CREATE TABLE k (a INTEGER PRIMARY KEY DESC, b INT);
    """)
    cols = _columns(url)
    assert list(cols) == ["id", "name", "n", "w", "s", "v", "z"]
    assert (cols["id"].column_type, cols["id"].auto_increment, cols["id"].identity) == (
        "integer", True, "AUTOINCREMENT")
    assert (cols["name"].column_type, cols["name"].nullable, cols["name"].default,
            cols["name"].collation) == ("varchar(20)", False, "'it''s'", "NOCASE")
    assert (cols["n"].default, cols["w"].default, cols["z"].default) == ("1 + 2", "'word'",
                                                                         "NULL")
    assert (cols["s"].generated, cols["s"].expression, cols["s"].default) == (
        "STORED", "id * 2", None)
    assert (cols["v"].generated, cols["v"].expression) == ("VIRTUAL", "lower(name)")
    assert [c.position for c in cols.values()] == list(range(1, 8))
    assert {c.dialect for c in cols.values()} == {"sqlite"}
    # INTEGER PRIMARY KEY DESC is no alias of the rowid: it has a key index of its own
    assert not _columns(url, "k")["a"].auto_increment


SAME = {
    "type spelling": ("a VARCHAR (20), b DECIMAL(10, 5)", "a varchar(20), b decimal(10,5)"),
    "standard type case": ("a INTEGER, b text", "a integer, b TEXT"),
    "DEFAULT NULL": ("a INT DEFAULT NULL", "a INT"),
    "default keyword case": ("a TEXT DEFAULT CURRENT_TIMESTAMP",
                             "a TEXT DEFAULT current_timestamp"),
    "default expression spacing": ("a INT DEFAULT (1+2)", "a INT DEFAULT ( 1 + 2 )"),
    "a bare word default": ("a TEXT DEFAULT abc", "a TEXT DEFAULT 'abc'"),
    "hex case": ("a INT DEFAULT 0x1F", "a INT DEFAULT 0x1f"),
    "collation case": ("a TEXT COLLATE nocase", "a TEXT COLLATE NOCASE"),
    "binary collation": ("a TEXT COLLATE BINARY", "a TEXT"),
    "rowid alias written at table level": ("id INTEGER PRIMARY KEY, v INT",
                                           "id INTEGER, v INT, PRIMARY KEY (id)"),
    "generated spelling": ("a INT, s AS (a+1)", "a INT, s GENERATED ALWAYS AS (a + 1) VIRTUAL"),
    "quoted names": ('"a" INT, [b] INT, `c` INT', "a INT, b INT, c INT"),
    "a check on the column": ("a INT CHECK (a > 0)", "a INT"),
}


@pytest.mark.parametrize("case", sorted(SAME))
def test_spellings_sqlite_reads_alike_are_no_drift(tmp_path, case):
    base, env = SAME[case]
    assert _column_findings(tmp_path, f"CREATE TABLE t ({base});",
                            f"CREATE TABLE t ({env});") == []


def test_a_column_added_later_reads_like_one_created_so(tmp_path):
    assert _column_findings(tmp_path, "CREATE TABLE t (a INT, b TEXT NOT NULL DEFAULT 'x');",
                            "CREATE TABLE t (a INT); ALTER TABLE t ADD COLUMN b TEXT NOT NULL "
                            "DEFAULT 'x';") == []


DIFFERENT = {
    "type": ("a INT", "a TEXT", ["type"]),
    "nullable": ("a INT NOT NULL DEFAULT 0", "a INT DEFAULT 0", ["nullable"]),
    "default": ("a INT DEFAULT 1", "a INT DEFAULT 2", ["default"]),
    "collation": ("a TEXT COLLATE NOCASE", "a TEXT COLLATE RTRIM", ["collation"]),
    "rowid alias": ("id INTEGER PRIMARY KEY", "id INT PRIMARY KEY", ["type", "auto_increment"]),
    "autoincrement": ("id INTEGER PRIMARY KEY AUTOINCREMENT", "id INTEGER PRIMARY KEY",
                      ["identity"]),
    "generated kind": ("a INT, s INT AS (a) STORED", "a INT, s INT AS (a) VIRTUAL",
                       ["generated"]),
    "expression": ("a INT, s INT AS (a + 1)", "a INT, s INT AS (a + 2)", ["generated"]),
}


@pytest.mark.parametrize("case", sorted(DIFFERENT))
def test_each_column_difference_is_found(tmp_path, case):
    base, env, changes = DIFFERENT[case]
    found = _column_findings(tmp_path, f"CREATE TABLE t ({base});", f"CREATE TABLE t ({env});")
    assert [(kind, tuple(what)) for kind, _, what in found] == [("column_changed",
                                                                 tuple(changes))]


def test_missing_extra_and_moved_columns(tmp_path):
    found = _column_findings(tmp_path, "CREATE TABLE t (a INT, b INT, c TEXT, d INT);",
                             "CREATE TABLE t (b INT, a INT, c TEXT, e BLOB);")
    assert sorted(found) == [("column_extra", "e", ()), ("column_missing", "d", ()),
                             ("column_moved", "b", ("position",))]


def test_columns_are_read_only_when_asked(tmp_path):
    url = _db(tmp_path / "a.db", "CREATE TABLE t (a INT);")
    snapshot = open_source(url, "x")
    assert snapshot.tables["t"].columns is None and snapshot.warnings == []


def test_virtual_tables_and_their_shadow_tables_have_no_columns_read(tmp_path):
    url = _db(tmp_path / "a.db", "CREATE VIRTUAL TABLE ft USING fts5(body); "
                                 "CREATE TABLE t (a INT);")
    snapshot = open_source(url, "x", columns=True)
    assert [n for n, t in snapshot.tables.items() if t.columns is None] == [
        "ft", "ft_config", "ft_content", "ft_data", "ft_docsize", "ft_idx"]
    assert "no columns were read for table(s) ft" in snapshot.warnings[0]


def test_compare_reports_sqlite_columns_and_migrate_holds_a_rebuild_without_all_objects(
        tmp_path):
    prd = _db(tmp_path / "prd.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL);")
    dev = _db(tmp_path / "dev.db", "CREATE TABLE t (id INT PRIMARY KEY, a TEXT);")
    runner = CliRunner()
    result = runner.invoke(cli, ["compare", f"prd={prd}", f"dev={dev}", "--objects", "columns",
                                 "--format", "json"])
    assert result.exit_code == 1, result.output
    findings = json.loads(result.output)["findings"]
    assert [(f["kind"], f["column"], f["changes"]) for f in findings] == [
        ("column_changed", "id", ["type", "auto_increment"]),
        ("column_changed", "a", ["nullable", "default"])]  # NULL is a nullable one's
    assert findings[0]["baseline_definition"] == '"id" integer PRIMARY KEY'
    text = runner.invoke(cli, ["compare", f"prd={prd}", f"dev={dev}", "--objects", "columns"])
    assert text.exit_code == 1 and '"a" text NOT NULL' in text.output
    result = runner.invoke(cli, ["migrate", f"prd={prd}", f"dev={dev}", "--objects", "columns",
                                 "--stdout"])
    # Column changes are a table rebuild (test_sqlite_rebuild.py), which must know the
    # foreign keys, checks and options too: held, saying so.
    assert result.exit_code == 0, result.output
    assert "-- table rebuild t: NOT APPLIED: the table needs a rebuild" in result.output
    assert "(--objects all)" in result.output and "CREATE TABLE" not in result.output
