"""The column corpus (tests/corpus/columns/<engine>/<case>/): schema-diff cases of issue 20,
each a baseline.sql and an env.sql. On the real server, in every layout: the migration
applied with the server's own client leaves no drift (``--objects indexes,columns``), and
its rollback leaves the env exactly as before (corpus_run.round_trip)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_run import MariaDBServer, PostgresServer, cases, round_trip

from indexdrift.cli.main import cli
from indexdrift.ddl.layouts import LAYOUTS
from indexdrift.dialects.mysql.catalog import read_mysql_columns
from indexdrift.dialects.postgresql.catalog import read_postgres_columns
from indexdrift.model.tables import Snapshot
from indexdrift.sources.urls import parse_url

MARKS = {"mariadb": "mariadb", "postgresql": "postgres"}
CORPUS = Path(__file__).parent / "corpus" / "columns"
CASES = [pytest.param(case, id=case.id, marks=getattr(pytest.mark, MARKS[case.engine]))
         for case in cases(CORPUS)]


@pytest.mark.parametrize("case", CASES)
def test_case_round_trip(case, request, tmp_path):
    round_trip(case, request, tmp_path, LAYOUTS)


def _case(engine: str, name: str):
    return next(p.values[0] for p in CASES if p.id == f"{engine}/{name}")


def _invoke(*args: str):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code in (0, 1), result.output
    return result


@pytest.mark.postgres
@pytest.mark.parametrize("name", ["zero_columns_env", "zero_columns_baseline"])
def test_table_without_columns_through_exported_files(postgres, tmp_path, name):
    """A table without columns reads as ``{}`` (read, none), live and from the exported
    column CSV alike: the other side's columns are drift, not "not compared"."""
    case = _case("postgresql", name)
    server = PostgresServer(postgres)
    dbs = {side: server.create(case.sql(side), side) for side in ("baseline", "env")}
    assert read_postgres_columns(parse_url(postgres.url(dbs[name.split("_")[-1]])),
                                 "x")["events"] == {}
    args, files = [], []
    for side, db in dbs.items():
        indexes, columns = tmp_path / f"i_{side}.csv", tmp_path / f"c_{side}.csv"
        for path, objects in ((indexes, "indexes"), (columns, "columns")):
            result = CliRunner().invoke(cli, ["export", postgres.url(db), "--objects", objects,
                                              "-o", str(path)])
            assert result.exit_code == 0, result.output
        args.append(f"{side}={indexes}")
        files += ["--columns-from", f"{side}={columns}"]
    empty = tmp_path / f"c_{name.split('_')[-1]}.csv"
    assert "postgresql,15" in empty.read_text() and ",events,,,,,,,,,,,,\n" in empty.read_text()
    common = ["--objects", "indexes,columns", "--format", "json", "--baseline", "baseline"]
    live = _invoke("compare", *[f"{s}={postgres.url(db)}" for s, db in dbs.items()], *common)
    from_files = _invoke("compare", *args, *files, *common)
    found = json.loads(live.stdout)["findings"]
    assert {(f["kind"], f["column"]) for f in found} == {
        ("column_missing" if name.endswith("env") else "column_extra", c)
        for c in ("id", "kind")}
    assert json.loads(from_files.stdout)["findings"] == found
    assert "no columns were read" not in live.output + from_files.output


def test_tables_a_column_read_left_out_are_named():
    """A table the column read gave nothing for stays "not read" (a MySQL server or an
    information_schema export never lists a table without columns) and a warning names
    it; a table read with no columns has ``{}`` and no warning."""
    snap = Snapshot("x", "s")
    for name in ("a", "b", "c"):
        snap.table(name)
    snap.set_columns({"a": {}, "z": {}})
    assert snap.tables["a"].columns == {} and snap.tables["b"].columns is None
    assert snap.warnings == ["no columns were read for table(s) b, c: their columns are "
                             "not compared"]


@pytest.mark.mariadb
def test_mariadb_columns_file_without_a_table_warns(mariadb, tmp_path):
    db = mariadb.create_db("cols")
    mariadb.run(db, "CREATE TABLE a (id INT); CREATE TABLE b (id INT)")
    columns = tmp_path / "c.csv"
    result = CliRunner().invoke(cli, ["export", mariadb.url(db), "--objects", "columns", "-o",
                                      str(columns)])
    assert result.exit_code == 0, result.output
    lines = columns.read_text().splitlines()
    columns.write_text("\n".join(line for line in lines if ",b," not in line) + "\n")
    result = _invoke("compare", f"prd={mariadb.url(db)}", f"dev={mariadb.url(db)}",
                     "--columns-from", f"dev={columns}", "--objects", "indexes,columns")
    assert "env dev: no columns were read for table(s) b: their columns are not compared" \
        in result.output


@pytest.mark.mariadb
def test_mariadb_column_checks_are_read_for_the_ddl_not_compared(mariadb, tmp_path):
    """MariaDB's JSON (LONGTEXT with its column's CHECK (json_valid(…))) and any other
    column-level CHECK are read with the column, so MODIFY/CHANGE/ADD keep them; they are
    not compared (``--objects checks`` compares checks): an information_schema.COLUMNS
    export, which cannot show them, compares equal to the live read."""
    case = _case("mariadb", "json_check")
    db = MariaDBServer(mariadb).create(case.sql("baseline"), "json")
    columns = read_mysql_columns(parse_url(mariadb.url(db)), "x")[1]["docs"]
    assert {name: col.check for name, col in columns.items()} == {
        "id": None, "doc": "json_valid(`doc`)", "meta": "json_valid(`meta`)",
        "n": "`n` > 0", "new_doc": "json_valid(`new_doc`)"}
    path = tmp_path / "c.csv"
    result = CliRunner().invoke(cli, ["export", mariadb.url(db), "--objects", "columns", "-o",
                                      str(path)])
    assert result.exit_code == 0, result.output
    result = _invoke("compare", f"prd={mariadb.url(db)}", f"dev={mariadb.url(db)}",
                     "--columns-from", f"dev={path}", "--objects", "indexes,columns",
                     "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["findings"] == []
