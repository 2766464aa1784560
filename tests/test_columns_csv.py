"""Column drift of file envs: information_schema.COLUMNS exports (indexdrift export, mysql -B,
GUI CSV of MySQL 8.0 / 5.7) read exactly like a live read, and their errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MARIADB
from test_columns_mariadb import DEV as COLUMNS_DEV
from test_columns_mariadb import PRD as COLUMNS_PRD
from test_migrate_mariadb import DEV, PRD

from indexdrift.cli.main import cli
from indexdrift.core.errors import IndexDriftError, InputError
from indexdrift.dialects.mysql.catalog import read_mysql_columns
from indexdrift.dialects.mysql.columns_csv import read_columns_csv
from indexdrift.sources.config import parse_config
from indexdrift.sources.urls import parse_url

FIXTURES = Path(__file__).parent / "fixtures" / "columns"

# The table of orders_mysql80.tsv / orders_mysql57.csv (see fixtures/columns/README.md).
ORDERS = """
CREATE TABLE orders (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(20) NOT NULL DEFAULT 'x' COMMENT 'code',
  IS_CLOSED BOOLEAN NULL DEFAULT 0 COMMENT '마감여부',
  note VARCHAR(50) NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  qty SMALLINT NOT NULL DEFAULT 1,
  status ENUM('new','done') NOT NULL DEFAULT 'new',
  it VARCHAR(10) NOT NULL DEFAULT 'it''s',
  empty_default VARCHAR(5) NOT NULL DEFAULT '',
  total INT AS (id + 1) VIRTUAL,
  KEY ix_code (code)
) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
"""

HEADER = ("TABLE_SCHEMA,TABLE_NAME,COLUMN_NAME,ORDINAL_POSITION,COLUMN_DEFAULT,IS_NULLABLE,"
          "DATA_TYPE,COLUMN_TYPE,CHARACTER_SET_NAME,COLLATION_NAME,EXTRA,COLUMN_COMMENT,"
          "GENERATION_EXPRESSION\n")


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def findings(result) -> list[dict]:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def export(source: str, path: Path, objects: str = "indexes") -> Path:
    result = invoke("export", source, "--objects", objects, "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def mysql_batch(query: str) -> str:
    """What a team gets from the real client: ``mysql -B -e QUERY``."""
    proc = subprocess.run(["mysql", "-h", MARIADB["host"], "-P", str(MARIADB["port"]), "-u",
                           MARIADB["user"], "--default-character-set=utf8mb4", "-B", "-e",
                           query], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.mark.mariadb
def test_exported_files_compare_exactly_like_the_live_envs(mariadb, tmp_path):
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, PRD + COLUMNS_PRD)
    mariadb.run(dev, DEV + COLUMNS_DEV)
    live = findings(invoke("compare", f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}",
                           "--objects", "indexes,columns", "--format", "json", "--no-usage"))
    assert {f["kind"] for f in live} >= {"column_changed", "column_missing", "column_extra",
                                         "missing", "changed"}
    files = {}
    for env, db in (("prd", prd), ("dev", dev)):
        files[env] = (export(mariadb.url(db), tmp_path / f"indexes_{env}.csv"),
                      export(mariadb.url(db), tmp_path / f"columns_{env}.csv", "columns"))
    from_files = findings(invoke(
        "compare", f"prd={files['prd'][0]}", f"dev={files['dev'][0]}", "--objects",
        "indexes,columns", "--columns-from", f"prd={files['prd'][1]}", "--columns-from",
        f"dev={files['dev'][1]}", "--format", "json"))
    assert from_files == live
    # the same through indexdrift.toml envs with a columns key
    (tmp_path / "indexdrift.toml").write_text(
        "baseline = \"prd\"\n"
        + "".join(f"[envs.{env}]\nsource = \"{idx}\"\ncolumns = \"{cols}\"\n"
                  for env, (idx, cols) in files.items()))
    from_config = findings(invoke("compare", "--config", str(tmp_path / "indexdrift.toml"),
                                  "--objects", "indexes,columns", "--format", "json"))
    assert from_config == live


@pytest.mark.mariadb
def test_mysql_client_exports_read_like_the_live_server(mariadb, tmp_path):
    db = mariadb.create_db("shop")
    mariadb.run(db, ORDERS + COLUMNS_PRD)
    live = read_mysql_columns(parse_url(mariadb.url(db)), "x")[1]
    where = f"FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '{db}'"
    # SELECT * (MariaDB's IS_GENERATED tells the flavor) and the narrow column list (the
    # flavor is told from the quoted defaults), as mysql -B prints them
    for name, query in (("star.tsv", f"SELECT * {where}"),
                        ("narrow.tsv", "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, "
                                       "ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, "
                                       f"COLUMN_TYPE, EXTRA, COLUMN_COMMENT, "
                                       f"GENERATION_EXPRESSION, CHARACTER_SET_NAME, "
                                       f"COLLATION_NAME {where}")):
        path = tmp_path / name
        path.write_text(mysql_batch(query), encoding="utf-8")
        read = read_columns_csv(str(path))
        assert read.flavor == "mariadb" and read.schema == db
        assert read.tables == live, name


@pytest.mark.mariadb
@pytest.mark.parametrize("fixture", ["orders_mysql80.tsv", "orders_mysql57.csv"])
def test_mysql_exports_of_the_same_table_show_no_drift(mariadb, tmp_path, fixture):
    db = mariadb.create_db("prd")
    mariadb.run(db, ORDERS)
    indexes = export(mariadb.url(db), tmp_path / "indexes.csv")
    path = FIXTURES / fixture
    result = invoke("compare", f"prd={mariadb.url(db)}", f"dev={indexes}", "--objects",
                    "columns", "--columns-from", f"dev={path}", "--format", "json",
                    "--no-usage")
    # int(11) vs int, 'x' vs x, current_timestamp() vs CURRENT_TIMESTAMP, '' vs empty cell
    assert findings(result) == []
    # a real difference in the same file is found, named by what differs
    text = path.read_bytes().decode("cp949" if fixture.endswith(".csv") else "utf-8")
    changed = text.replace("마감여부", "closed?").replace("it's", "its")
    copy = tmp_path / fixture
    copy.write_text(changed, encoding="utf-8")
    result = invoke("compare", f"prd={mariadb.url(db)}", f"dev={indexes}", "--objects",
                    "columns", "--columns-from", f"dev={copy}", "--format", "json",
                    "--no-usage")
    got = {(f["column"], tuple(f["changes"])) for f in findings(result)}
    assert got == {("IS_CLOSED", ("comment",)), ("it", ("default",))}


def test_mysql_fixtures_normalise_to_the_same_definitions():
    mysql80 = read_columns_csv(str(FIXTURES / "orders_mysql80.tsv"))
    mysql57 = read_columns_csv(str(FIXTURES / "orders_mysql57.csv"))  # CP949, quoted CSV
    assert (mysql80.flavor, mysql57.flavor) == ("mysql", "mysql")
    a, b = mysql80.tables["orders"], mysql57.tables["orders"]
    assert a["it"].default == b["it"].default == "'it''s'"
    assert a["empty_default"].default == "''"
    assert a["note"].default == "NULL"
    assert a["created_at"].default == a["created_at"].on_update == "CURRENT_TIMESTAMP"
    assert b["is_closed"].comment == "마감여부"
    assert (a["id"].column_type, b["id"].column_type) == ("int unsigned", "int(10) unsigned")
    assert a["total"].expression == b["total"].expression == "`id` + 1"


def write(tmp_path: Path, text: str, name: str = "cols.csv", encoding: str = "utf-8") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_reader_accepts_what_people_hand_over(tmp_path):
    # lower-case header, tab separated with mysql -B escapes, \N as null, a BOM
    tsv = ("\ufefftable_schema\ttable_name\tcolumn_name\tordinal_position\tcolumn_default\t"
           "is_nullable\tcolumn_type\tcolumn_comment\n"
           "s\tt\ta\t1\t\\N\tYES\tvarchar(5)\tline\\none\\ttab\n"
           "s\tt\tb\t2\t'q'\tNO\tvarchar(5)\t\n")
    read = read_columns_csv(write(tmp_path, tsv, "x.tsv"))
    cols = read.tables["t"]
    assert cols["a"].comment == "line\none\ttab" and cols["a"].default == "NULL"
    assert read.flavor == "mariadb" and cols["b"].default == "'q'"
    # a multi-line comment in a quoted CSV field, DATA_TYPE derived from COLUMN_TYPE
    csv_text = HEADER + 's,t,a,1,0,NO,,"int(11)",NULL,NULL,,"two\nlines",\n'
    assert read_columns_csv(write(tmp_path, csv_text)).tables["t"]["a"].comment == "two\nlines"
    # CP949 (Korean Excel)
    korean = HEADER + "s,t,a,1,NULL,YES,int,int(11),NULL,NULL,,마감여부,\n"
    read = read_columns_csv(write(tmp_path, korean, "k.csv", "cp949"))
    assert read.tables["t"]["a"].comment == "마감여부"
    # a file of several schemas: pick one with #SCHEMA
    two = HEADER + "s1,t,a,1,NULL,YES,int,int(11),,,,,\ns2,t,b,1,NULL,YES,int,int(11),,,,,\n"
    path = write(tmp_path, two, "two.csv")
    assert list(read_columns_csv(path + "#s2").tables["t"]) == ["b"]


@pytest.mark.parametrize(("text", "where", "message"), [
    ("", "cols.csv:1", "the file is empty"),
    ("TABLE_SCHEMA,TABLE_NAME,INDEX_NAME,NON_UNIQUE\n", "cols.csv:1: column COLUMN_NAME",
     "this is a STATISTICS export of indexes"),
    (HEADER + "s,t,a,first,NULL,YES,int,int,,,,,\n", "cols.csv:2: column ORDINAL_POSITION",
     "'first' is not a whole number"),
    (HEADER + "s,t,a,0,NULL,YES,int,int,,,,,\n", "cols.csv:2: column ORDINAL_POSITION",
     "0 is not a column position"),
    (HEADER + "s,t,a,1,NULL,maybe,int,int,,,,,\n", "cols.csv:2: column IS_NULLABLE",
     "'maybe' is not YES or NO"),
    (HEADER + "s,t,a,1,NULL,YES,int,int,,,,,\ns,t,A,2,NULL,YES,int,int,,,,,\n",
     "cols.csv:3: column COLUMN_NAME", "column t.A is listed twice (first on line 2)"),
    (HEADER + "s,t,a,1,NULL,YES,int,int,,,,,\nt,t,b,1,NULL,YES,int,int,,,,,\n",
     "cols.csv:3: column TABLE_SCHEMA", "more than one schema (s, t)"),
    (HEADER + "s,t,a,1,NULL,YES\n", "cols.csv:2", "expected 13 fields, found 6"),
    (HEADER + "s,NULL,a,1,NULL,YES,int,int,,,,,\n", "cols.csv:2: column TABLE_NAME",
     "a value is required here"),
])
def test_bad_files_are_errors_naming_file_line_and_column(tmp_path, text, where, message):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as err:
        read_columns_csv(path)
    assert str(err.value).startswith(str(tmp_path / where) + ":"), str(err.value)
    assert message in str(err.value)


def test_undecodable_bytes_and_missing_things(tmp_path):
    raw = (HEADER + "s,t,a,1,NULL,YES,int,int,,,,").encode() + b"\xff\xfe\xff,\n"
    path = tmp_path / "bad.csv"
    path.write_bytes(raw)
    with pytest.raises(InputError, match=r"bad.csv:2: column COLUMN_COMMENT: text is neither"):
        read_columns_csv(str(path))
    with pytest.raises(InputError, match="no such file"):
        read_columns_csv(str(tmp_path / "nope.csv"))
    path = write(tmp_path, HEADER + "s,t,a,1,NULL,YES,int,int,,,,,\n")
    with pytest.raises(InputError, match=r"schema 'x' is not in the file \(found: s\)"):
        read_columns_csv(path + "#x")


@pytest.mark.mariadb
def test_cli_says_what_a_file_env_needs(mariadb, tmp_path):
    db = mariadb.create_db("prd")
    mariadb.run(db, ORDERS)
    indexes = str(export(mariadb.url(db), tmp_path / "indexes.csv"))
    columns = str(FIXTURES / "orders_mysql80.tsv")
    base = ["compare", f"prd={mariadb.url(db)}", f"dev={indexes}"]
    cases = [
        (["--objects", "columns"], "env dev: " + indexes + " is a file of indexes only; give "
         "its information_schema.COLUMNS export with --columns-from dev=FILE"),
        (["--objects", "columns", "--columns-from", f"stg={columns}"],
         "--columns-from stg: no such environment (have: prd, dev)"),
        (["--columns-from", f"dev={columns}"],
         "--columns-from needs --objects columns"),
        (["--objects", "columns", "--columns-from", "dev"], "--columns-from dev: write ENV=FILE"),
    ]
    for extra, message in cases:
        result = invoke(*base, *extra)
        assert result.exit_code != 0
        assert isinstance(result.exception, IndexDriftError), result.output
        assert message in str(result.exception)
    result = invoke("export", indexes, "--objects", "columns")
    assert "is a file; export columns from a live MySQL/MariaDB URL" in str(result.exception)


def test_config_columns_key():
    config = parse_config({"envs": {"prd": {"source": "i.csv", "columns": "c.csv"},
                                    "dev": {"source": "d.csv"}}})
    assert config.envs["prd"].columns == "c.csv" and config.envs["dev"].columns is None
    with pytest.raises(InputError, match="envs.prd.columns: the information_schema.COLUMNS"):
        parse_config({"envs": {"prd": {"sources": ["a.csv", "b.csv"], "columns": "c.csv"}}})
    with pytest.raises(InputError, match="envs.prd.columns must be a non-empty string"):
        parse_config({"envs": {"prd": {"source": "a.csv", "columns": ""}}})


@pytest.mark.mariadb
def test_migration_written_from_files_converges_on_the_server(mariadb, tmp_path):
    from test_migrate_mariadb import apply_sql

    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, PRD + COLUMNS_PRD)
    mariadb.run(dev, DEV + COLUMNS_DEV)
    args = []
    for env, db in (("prd", prd), ("dev", dev)):
        args.append(f"{env}={export(mariadb.url(db), tmp_path / f'indexes_{env}.csv')}")
        args += ["--columns-from",
                 f"{env}={export(mariadb.url(db), tmp_path / f'columns_{env}.csv', 'columns')}"]
    live = ["compare", f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--objects",
            "indexes,columns", "--format", "json", "--no-usage"]
    before = findings(invoke(*live))
    common = ["--objects", "indexes,columns", "--stdout", "--drop-extra", "--target",
              "mariadb:10.11", "--explain"]
    up = invoke("migrate", *args, *common)
    down = invoke("migrate", *args, *common, "--rollback")
    assert up.exit_code == 0 and down.exit_code == 0, up.output + down.output
    assert "MODIFY COLUMN `IS_CLOSED` tinyint(1) NULL DEFAULT 0 COMMENT '마감여부'" in up.stdout
    apply_sql(dev, up.stdout)
    assert findings(invoke(*live)) == []
    apply_sql(dev, down.stdout)
    assert findings(invoke(*live)) == before
