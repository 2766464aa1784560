"""An env without tables (issue 20), from every file source: comparing indexes or columns
it is an error (an export by an account that sees nothing looks the same), with
``--objects tables`` (or all) it is read, the report says so in its language, and every
table of the baseline is created. (The live servers: tests/test_tables_migrate_*.py.)"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.core.errors import InputError

EXAMPLES = Path(__file__).parent.parent / "examples"
STATISTICS_HEADER = ("TABLE_SCHEMA,TABLE_NAME,NON_UNIQUE,INDEX_SCHEMA,INDEX_NAME,SEQ_IN_INDEX,"
                     "COLUMN_NAME,COLLATION,CARDINALITY,SUB_PART,PACKED,NULLABLE,INDEX_TYPE,"
                     "COMMENT,INDEX_COMMENT,IS_VISIBLE,EXPRESSION\n")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def empty_sqlite(path: Path) -> str:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (a)")
    conn.execute("DROP TABLE t")
    conn.close()
    return f"sqlite:///{path}"


def test_an_empty_statistics_export(tmp_path):
    dev = tmp_path / "indexes_dev.csv"
    dev.write_text(STATISTICS_HEADER)
    prd = str(EXAMPLES / "indexes_prd.csv")
    refused = run("compare", prd, str(dev))
    assert isinstance(refused.exception, InputError)
    assert "no tables: the file has no rows after its header" in str(refused.exception)
    report = run("compare", prd, str(dev), "--objects", "tables", "--format", "json")
    assert report.exit_code == 1, report.output
    doc = json.loads(report.stdout)
    assert doc["sources"]["dev"]["tables"] == 0
    assert doc["sources"]["dev"]["warnings"] == [
        "dev has no tables: every table will be created; check the account sees the schema"]
    # The header tells the flavor (IS_VISIBLE, EXPRESSION: MySQL 8).
    assert doc["sources"]["dev"]["flavor"] == "mysql"
    assert {(f["kind"], f["action"]) for f in doc["findings"]} == {("table_missing", "CREATE")}
    ko = run("compare", prd, str(dev), "--objects", "tables", "--lang", "ko", "--format", "md")
    assert "dev에 테이블이 없습니다: 모든 테이블을 만듭니다" in ko.output
    # A STATISTICS export holds no columns: the tables cannot be created from it, and the
    # script says why instead of writing a CREATE TABLE it cannot know.
    script = run("migrate", prd, str(dev), "--objects", "tables", "--stdout")
    assert script.exit_code == 0, script.output
    assert "CREATE TABLE" not in script.output
    assert ("-- table missing users: NOT APPLIED: table users is not created: its columns "
            "were not read") in script.output


def test_an_empty_catalog_csv_and_columns_file(tmp_path):
    from indexdrift.sources.catalog_csv import COLUMNS

    dev = tmp_path / "dev.csv"
    dev.write_text(",".join(COLUMNS) + "\n")
    conn = sqlite3.connect(tmp_path / "prd.db")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    conn.close()
    prd = f"sqlite:///{tmp_path / 'prd.db'}"
    refused = run("compare", f"prd={prd}", f"dev={dev}")
    assert isinstance(refused.exception, InputError)
    result = run("migrate", f"prd={prd}", f"dev={dev}", "--objects", "tables", "--stdout",
                 "--target", "dev=sqlite")
    assert result.exit_code == 0, result.output
    assert "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);" in result.output  # prd's text


def test_an_empty_sqlite_file_and_its_snapshot(tmp_path):
    prd = f"sqlite:///{EXAMPLES / 'shop_prd.sqlite'}"
    dev = empty_sqlite(tmp_path / "dev.db")
    snap = tmp_path / "dev.json"
    # A snapshot of no tables is written only when tables are compared: only a run that
    # compares tables reads it back.
    refused = run("snapshot", f"dev={dev}", "-o", str(snap), "--objects", "indexes")
    assert refused.exception is not None and not snap.exists()
    written = run("snapshot", f"dev={dev}", "-o", str(snap), "--objects", "tables")
    assert written.exit_code == 0, written.output
    again = run("compare", f"prd={prd}", f"dev={snap}")
    assert isinstance(again.exception, InputError)
    assert "holds no tables" in str(again.exception)
    report = run("compare", f"prd={prd}", f"dev={snap}", "--objects", "tables", "--format",
                 "json")
    assert report.exit_code == 1, report.output
    assert {f["action"] for f in json.loads(report.stdout)["findings"]} == {"CREATE"}
    script = run("migrate", f"prd={prd}", f"dev={snap}", "--objects", "all", "--stdout")
    assert script.exit_code == 0, script.output
    assert "-- dev has no tables: every table will be created" in script.output
    out = sqlite3.connect(tmp_path / "applied.db")
    out.executescript(script.stdout)
    out.close()
    after = run("compare", f"prd={prd}", f"dev=sqlite:///{tmp_path / 'applied.db'}",
                "--objects", "all")
    assert after.exit_code == 0, after.output


@pytest.mark.parametrize("objects", ["indexes", "columns", "indexes,foreign_keys,checks"])
def test_without_tables_an_empty_env_stays_an_error(tmp_path, objects):
    prd = f"sqlite:///{EXAMPLES / 'shop_prd.sqlite'}"
    dev = empty_sqlite(tmp_path / "dev.db")
    result = run("migrate", f"prd={prd}", f"dev={dev}", "--objects", objects, "--stdout")
    assert isinstance(result.exception, InputError)
    assert "shows no tables" in str(result.exception)


def test_what_a_file_did_not_hold_is_neither_created_nor_dropped():
    # STATISTICS exports know no columns: a missing table cannot be written, and an extra
    # one is not dropped, since the rollback could not re-create it.
    envs = [str(EXAMPLES / f"indexes_{e}.csv") for e in ("prd", "dev", "stg")]
    result = run("migrate", *envs, "--objects", "tables", "--drop-extra", "--stdout")
    assert result.exit_code == 0, result.output
    assert ("-- table extra tmp_import: NOT APPLIED: table tmp_import is not dropped: its "
            "definition was not read completely, so the rollback could not re-create it"
            ) in result.stdout
    assert ("-- table missing audit_log: NOT APPLIED: table audit_log is not created: its "
            "columns were not read") in result.stdout
    assert "DROP TABLE" not in result.stdout and "CREATE TABLE" not in result.stdout


def test_a_sqlite_baselines_stored_text_is_not_written_for_another_database(tmp_path):
    """A SQLite file's stored CREATE TABLE text is SQLite's: a table created on another
    database is written from the model by that database's writer."""
    from indexdrift.sources.catalog_csv import COLUMNS

    dev = tmp_path / "dev.csv"
    dev.write_text(",".join(COLUMNS) + "\n")
    conn = sqlite3.connect(tmp_path / "prd.db")
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    conn.close()
    result = run("migrate", f"prd=sqlite:///{tmp_path / 'prd.db'}", f"dev={dev}",
                 "--objects", "tables", "--stdout", "--target", "dev=postgresql",
                 "--allow-cross-flavor")  # envs of two families, on purpose
    assert result.exit_code == 0, result.output
    assert 'CREATE TABLE "t" (' in result.output
    assert "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)" not in result.output
