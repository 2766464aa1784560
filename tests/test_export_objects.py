"""``export --objects ...`` writes every object kind into a directory, one file per kind,
that reads back as one source (issue 20, Sources): compared with the live database it
came from, ``--objects all`` finds nothing, on MariaDB, PostgreSQL and SQLite, with
composite and self-referencing foreign keys, checks, table options and hostile names.
Formula-looking cells of the object files are escaped and read back exactly; a kind the
directory lacks is never drift; writes are all or nothing."""

from __future__ import annotations

import csv
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.core.csvcells import FORMULA_STARTS
from indexdrift.core.errors import IndexDriftError
from indexdrift.sources import open_source
from indexdrift.sources.export_dir import read_export_dir
from indexdrift.sources.objects_csv import CHECK_FIELDS

OBJECT_FILES = ("foreign_keys.csv", "checks.csv", "tables.csv")


def _run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _refused(match: str, *args: str) -> None:
    with pytest.raises(IndexDriftError, match=match):
        _run(*args)


def _export(source: str, out: Path, objects: str = "all"):
    result = _run("export", f"prd={source}", "--objects", objects, "-o", str(out))
    assert result.exit_code == 0, result.output
    return result


def _findings(prd: str, dev: Path, objects: str = "all") -> list:
    result = _run("compare", f"prd={prd}", f"dev={dev}", "--objects", objects,
                  "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def _assert_no_formula_cells(directory: Path) -> None:
    """No cell of the object files starts like a spreadsheet formula (``'`` escapes it)."""
    for name in OBJECT_FILES:
        path = directory / name
        if not path.exists():
            continue
        with path.open(newline="", encoding="utf-8") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell.startswith(FORMULA_STARTS[:-1]), (name, cell)


def _same_objects(live, exported) -> None:
    """The exported env holds exactly the live read's foreign keys, checks and options."""
    assert set(live.tables) == set(exported.tables)
    for name, table in live.tables.items():
        other = exported.tables[name]
        assert other.foreign_keys == table.foreign_keys, name
        assert other.checks == table.checks, name
        assert other.options == table.options, name
        assert other.indexes == table.indexes, name


MARIADB_SCHEMA = """
    CREATE TABLE `pa``rent, "x"` (a INT, b VARCHAR(10), c INT CHECK (c <> 0),
        PRIMARY KEY (a, b)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
        ROW_FORMAT=DYNAMIC COMMENT='=cmd|'' /C calc'',
line two';
    CREATE TABLE child (id INT PRIMARY KEY, pa INT, pb VARCHAR(10), up INT,
        `=c` INT CHECK (`=c` > 0),
        doc JSON,
        CONSTRAINT `fk,=1` FOREIGN KEY (pa, pb) REFERENCES `pa``rent, "x"` (a, b)
            ON DELETE CASCADE ON UPDATE CASCADE,
        CONSTRAINT `+self` FOREIGN KEY (up) REFERENCES child (id) ON DELETE SET NULL,
        CONSTRAINT `-chk` CHECK (`=c` < 100 OR `=c` = 'a,b
x'),
        KEY `ix=1` (pa, pb) COMMENT '@sum(1)'
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin ROW_FORMAT=COMPACT
      COMMENT='+1';
    CREATE TABLE bare (n INT) ENGINE=MyISAM;
"""


@pytest.mark.mariadb
def test_mariadb_export_directory_reads_back_without_drift(mariadb, tmp_path):
    db = mariadb.create_db("expobj")
    mariadb.run(db, MARIADB_SCHEMA)
    url, out = mariadb.url(db), tmp_path / "dev"
    _export(url, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["indexes.csv", "columns.csv", *OBJECT_FILES])
    _assert_no_formula_cells(out)
    assert _findings(url, out) == []
    exported = read_export_dir(str(out))
    assert exported.objects == {"columns", "foreign_keys", "checks", "options"}
    live = open_source(url, "prd", objects=frozenset({"foreign_keys", "checks", "options"}))
    _same_objects(live, exported)
    child = exported.tables["child"]
    assert {fk.name for fk in child.foreign_keys} == {"+self", "fk,=1"}
    assert any(c.column == "=c" for c in child.checks.values())  # column-level check
    # The columns are the live read's, each column-level check on its column too; only a
    # JSON column's implicit json_valid check is not in the files (not compared).
    live_columns = open_source(url, "prd", columns=True, objects=frozenset({"checks"}))
    live_child = dict(live_columns.tables["child"].columns)
    assert live_child["doc"].check == "json_valid(`doc`)"
    live_child["doc"] = replace(live_child["doc"], check=None)
    assert child.columns == live_child
    assert child.columns["=c"].check == "`=c` > 0"
    for name in ("bare", 'pa`rent, "x"'):
        assert exported.tables[name].columns == live_columns.tables[name].columns
    assert exported.tables['pa`rent, "x"'].options["comment"].startswith("=cmd|'")
    # The env's columns came with it: a changed column is drift again.
    mariadb.run(db, "ALTER TABLE bare ADD COLUMN m INT")
    assert [f["kind"] for f in _findings(url, out)] == ["column_missing"]


@pytest.mark.mariadb
def test_mariadb_export_finds_object_drift_after_a_change(mariadb, tmp_path):
    db = mariadb.create_db("expdrift")
    mariadb.run(db, MARIADB_SCHEMA)
    url, out = mariadb.url(db), tmp_path / "dev"
    _export(url, out)
    mariadb.run(db, "ALTER TABLE child DROP CONSTRAINT `-chk`; "
                    "ALTER TABLE bare COMMENT 'changed'")
    kinds = {f["kind"] for f in _findings(url, out)}
    assert kinds == {"check_extra", "table_options_changed"}


POSTGRES_SCHEMA = """
    CREATE TABLE "Pa""rent" (a int, "B" text, PRIMARY KEY (a, "B"));
    COMMENT ON TABLE "Pa""rent" IS '=HYPERLINK("http://x"), "q"
line two';
    CREATE UNLOGGED TABLE child (
        id int PRIMARY KEY, pa int, pb text, up int,
        CONSTRAINT "fk,=1" FOREIGN KEY (pa, pb) REFERENCES "Pa""rent" (a, "B")
            ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED,
        CONSTRAINT "-chk" CHECK (pa > 0 OR pb <> 'a,b
x')
    );
    ALTER TABLE child ADD CONSTRAINT "@self" FOREIGN KEY (up) REFERENCES child (id)
        MATCH FULL ON DELETE SET NULL NOT VALID;
    ALTER TABLE child ADD CONSTRAINT "'apos" CHECK (up <> id) NOT VALID;
    CREATE SCHEMA "other";
    CREATE TABLE "other".p (id int PRIMARY KEY);
    ALTER TABLE child ADD COLUMN o int CONSTRAINT "	fk_other" REFERENCES "other".p (id);
    COMMENT ON TABLE child IS '+1';
    CREATE TABLE bare ();
"""


@pytest.mark.postgres
def test_postgres_export_directory_reads_back_without_drift(postgres, tmp_path):
    db = postgres.create_db("expobj")
    postgres.run(db, POSTGRES_SCHEMA)
    url, out = postgres.url(db), tmp_path / "dev"
    _export(url, out)
    _assert_no_formula_cells(out)
    assert _findings(url, out) == []
    exported = read_export_dir(str(out))
    assert exported.objects == {"columns", "foreign_keys", "checks", "options"}
    live = open_source(url, "prd", objects=frozenset({"foreign_keys", "checks", "options"}))
    _same_objects(live, exported)
    fks = {fk.name: fk for fk in exported.tables["child"].foreign_keys}
    assert (fks["fk,=1"].deferrable, fks["fk,=1"].on_update) == ("DEFERRED", "SET NULL")
    assert (fks["@self"].valid, fks["@self"].match) == (False, "FULL")
    assert (fks["\tfk_other"].ref_schema, fks["\tfk_other"].ref_table) == ("other", "p")
    assert exported.tables["child"].checks["'apos"].valid is False
    assert exported.tables["child"].options["persistence"] == live.tables["child"].options[
        "persistence"]
    postgres.run(db, "ALTER TABLE child VALIDATE CONSTRAINT \"@self\"")
    assert {f["kind"] for f in _findings(url, out)} == {"foreign_key_changed"}


def _sqlite_db(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.executescript("""
            CREATE TABLE "pa""rent, x" (a INTEGER, b TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
            CREATE TABLE child (id INTEGER PRIMARY KEY, pa INT, pb TEXT,
                up INT REFERENCES child (id) ON DELETE SET NULL,
                "=c" TEXT CHECK ("=c" <> 'x,y
z'),
                CONSTRAINT "fk,=1" FOREIGN KEY (pa, pb) REFERENCES "pa""rent, x" (a, b)
                    ON DELETE CASCADE ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED,
                CONSTRAINT "-chk" CHECK (pa > 0)) STRICT;
            CREATE INDEX "@ix" ON child (pa, pb);
        """)


SQLITE_KINDS = "indexes,foreign_keys,checks,tables"


def test_sqlite_export_directory_reads_back_without_drift(tmp_path):
    db, out = tmp_path / "prd.db", tmp_path / "dev"
    _sqlite_db(db)
    with sqlite3.connect(db) as conn:  # columns SQLite spells its own way
        conn.execute("""CREATE TABLE misc (id INTEGER PRIMARY KEY AUTOINCREMENT, untyped,
            "-w" TEXT COLLATE NOCASE DEFAULT '=x,y', g INT GENERATED ALWAYS AS (id * 2),
            n REAL NOT NULL DEFAULT -1.5)""")
    url = f"sqlite:///{db}"  # a SQLite file's columns are read through its URL
    _export(str(db), out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["indexes.csv", "columns.csv", *OBJECT_FILES])
    _assert_no_formula_cells(out)
    assert _findings(url, out) == []
    exported = read_export_dir(str(out))
    assert exported.objects == {"columns", "foreign_keys", "checks", "options"}
    live = open_source(url, "prd", columns=True,
                       objects=frozenset({"foreign_keys", "checks", "options"}))
    _same_objects(live, exported)
    assert {n: t.columns for n, t in exported.tables.items()} == {
        n: t.columns for n, t in live.tables.items()}
    assert exported.tables['pa"rent, x'].options["without_rowid"] == "1"
    assert exported.tables["child"].options["strict"] == "1"
    # The column file reads alone too, as --columns-from.
    result = _run("compare", f"prd={url}", f"dev={out / 'indexes.csv'}", "--columns-from",
                  f"dev={out / 'columns.csv'}", "--objects", "indexes,columns")
    assert result.exit_code == 0, result.output


def test_a_kind_the_directory_lacks_is_not_drift(tmp_path):
    db, out = tmp_path / "prd.db", tmp_path / "dev"
    _sqlite_db(db)
    _export(str(db), out, "foreign_keys")
    assert sorted(p.name for p in out.iterdir()) == ["foreign_keys.csv", "indexes.csv"]
    assert read_export_dir(str(out)).objects == {"foreign_keys"}
    # prd has checks and options; dev's files say nothing of them: not drift.
    assert _findings(str(db), out, SQLITE_KINDS) == []
    # The same directory with a checks file that lists none: now every check is missing.
    (out / "checks.csv").write_text(",".join(CHECK_FIELDS) + "\n", encoding="utf-8")
    assert read_export_dir(str(out)).objects == {"foreign_keys", "checks"}
    kinds = [f["kind"] for f in _findings(str(db), out, SQLITE_KINDS)]
    assert kinds == ["check_missing", "check_missing"]


def test_default_export_is_the_index_file_as_before(tmp_path):
    db = tmp_path / "prd.db"
    _sqlite_db(db)
    single = _run("export", str(db))
    assert single.exit_code == 0
    out = tmp_path / "dev"
    _export(str(db), out, "indexes,checks")
    assert (out / "indexes.csv").read_text(encoding="utf-8") == single.stdout


def test_export_of_several_kinds_needs_a_directory(tmp_path):
    db = tmp_path / "prd.db"
    _sqlite_db(db)
    _refused("-o DIR", "export", str(db), "--objects", "checks,tables")
    file = tmp_path / "file.csv"
    file.write_text("x")
    _refused("is a file", "export", str(db), "--objects", "checks", "-o", str(file))
    # An index file cannot give columns: nothing is written.
    single = tmp_path / "indexes_prd.csv"
    single.write_text(_run("export", str(db)).stdout, encoding="utf-8")
    _refused("export columns from a live", "export", str(single), "--objects", "all", "-o",
             str(tmp_path / "d"))
    assert not (tmp_path / "d").exists()


def test_stale_kind_files_are_refused_and_nothing_is_half_written(tmp_path):
    db, out = tmp_path / "prd.db", tmp_path / "dev"
    _sqlite_db(db)
    _export(str(db), out, SQLITE_KINDS)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    _refused("checks.csv", "export", str(db), "--objects", "foreign_keys", "-o", str(out))
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    # A kind file that cannot be written (a directory in its place): no file is written.
    fresh = tmp_path / "fresh"
    (fresh / "tables.csv").mkdir(parents=True)
    _refused("it is a directory", "export", str(db), "--objects", "tables", "-o",
             str(fresh))
    assert sorted(p.name for p in fresh.iterdir()) == ["tables.csv"]


@pytest.mark.parametrize(("name", "row", "message"), [
    ("checks.csv", 'sqlite,child,ck,"1); DROP TABLE child; --",,YES,YES,NO',
     "column CHECK_CLAUSE"),
    ("checks.csv", "sqlite,nope,ck,x > 0,,YES,YES,NO", "not in the env's index file"),
    ("foreign_keys.csv", "sqlite,child,1,fk,1,pa,,p,a,EXPLODE,CASCADE,SIMPLE,,YES",
     "column ON_UPDATE"),
    ("tables.csv", "sqlite,child,engine,InnoDB", "not a table option"),
    ("tables.csv", "sqlite,child,comment,x", "not a table option"),
    ("tables.csv", "sqlite,child,strict,\x00", "NUL"),
    ("foreign_keys.csv", "sqlite,child,1,\"fk,=1\",3,up,,\"pa\"\"rent, x\",a,RESTRICT,"
     "SET NULL,SIMPLE,DEFERRED,YES", "differs from its first line"),
    ("checks.csv", "sqlite,child,-chk,x > 1,,YES,YES,NO", "appears twice"),
    ("checks.csv", "postgresql,child,ck2,x > 1,,YES,YES,NO", "objects but the env's indexes"),
])
def test_hostile_object_files_are_refused_naming_the_line(tmp_path, name, row, message):
    db, out = tmp_path / "prd.db", tmp_path / "dev"
    _sqlite_db(db)
    _export(str(db), out, SQLITE_KINDS)
    path = out / name
    path.write_text(path.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    with pytest.raises(IndexDriftError, match=message) as caught:
        _run("compare", f"prd={db}", f"dev={out}", "--objects", SQLITE_KINDS)
    assert str(caught.value).startswith(f"{path}:")


def test_a_directory_without_an_index_file_is_refused(tmp_path):
    db = tmp_path / "prd.db"
    _sqlite_db(db)
    (tmp_path / "empty").mkdir()
    _refused("directory without indexes.csv", "compare", f"prd={db}",
             f"dev={tmp_path / 'empty'}")


@pytest.mark.mariadb
def test_empty_schema_exports_and_reads_back_when_tables_are_compared(mariadb, tmp_path):
    db, base = mariadb.create_db("expempty"), mariadb.create_db("expbase")
    mariadb.run(base, "CREATE TABLE t (id INT PRIMARY KEY, v INT CHECK (v > 0)) "
                      "COMMENT '=x'")
    out = tmp_path / "dev"
    _export(mariadb.url(db), out, "tables")
    assert sorted(p.name for p in out.iterdir()) == sorted(["indexes.csv", *OBJECT_FILES])
    result = _run("compare", f"prd={mariadb.url(base)}", f"dev={out}", "--objects", "tables",
                  "--format", "json")
    assert [f["kind"] for f in json.loads(result.stdout)["findings"]] == ["table_missing"]
    # Comparing indexes only, an env without tables is still an error, as a live one is.
    _refused("no tables", "compare", f"prd={mariadb.url(base)}", f"dev={out}")


@pytest.mark.mariadb
def test_directories_mix_with_live_envs_and_older_index_files(mariadb, tmp_path):
    db = mariadb.create_db("expmix")
    mariadb.run(db, MARIADB_SCHEMA)
    url, out = mariadb.url(db), tmp_path / "dev"
    _export(url, out, "indexes,foreign_keys,checks,tables")
    older = tmp_path / "indexes_stg.csv"  # an index-only export, as every release wrote
    older.write_text(_run("export", url).stdout, encoding="utf-8")
    assert (out / "indexes.csv").read_bytes() == older.read_bytes()
    result = _run("compare", f"prd={url}", f"dev={out}", f"stg={older}", "--objects",
                  "indexes,foreign_keys,checks,tables", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["findings"] == []
    # The same through indexdrift.toml: a directory is a source like a file.
    config = tmp_path / "indexdrift.toml"
    config.write_text(f'[envs.prd]\nsource = "{url}"\n[envs.dev]\nsource = "{out}"\n',
                      encoding="utf-8")
    result = _run("compare", "--config", str(config), "--objects",
                  "indexes,foreign_keys,checks,tables", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["findings"] == []
    # Columns asked for, the directory says it has none.
    _refused("holds no columns.csv", "compare", "--config", str(config), "--objects", "all")


def test_snapshot_of_a_sqlite_autoincrement_column_reads_back(tmp_path):
    """A snapshot (of a SQLite file or of its export directory) keeps an AUTOINCREMENT
    column: it was written but refused when read back."""
    db, out = tmp_path / "prd.db", tmp_path / "dev"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)")
    url = f"sqlite:///{db}"
    _export(str(db), out)
    for source in (url, str(out)):
        snap = tmp_path / "snap.json"
        result = _run("snapshot", f"dev={source}", "--objects", "all", "-o", str(snap))
        assert result.exit_code == 0, result.output
        assert _findings(url, snap) == []


def test_a_kind_the_source_did_not_read_is_not_exported(tmp_path):
    db = tmp_path / "prd.db"
    _sqlite_db(db)
    single = tmp_path / "indexes_prd.csv"  # an index file knows no foreign keys
    single.write_text(_run("export", str(db)).stdout, encoding="utf-8")
    _refused("does not hold foreign_keys", "export", str(single), "--objects",
             "indexes,foreign_keys", "-o", str(tmp_path / "d"))
    assert not (tmp_path / "d").exists()
    # A directory holding them exports again, the same files.
    first, second = tmp_path / "first", tmp_path / "second"
    _export(str(db), first, SQLITE_KINDS)
    _export(str(first), second, SQLITE_KINDS)
    assert {p.name: p.read_bytes() for p in first.iterdir()} == {
        p.name: p.read_bytes() for p in second.iterdir()}
