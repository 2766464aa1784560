"""The PostgreSQL column CSV on the real PostgreSQL: ``export --objects columns`` of the
three drifted databases reads back exactly like the live envs, a migration written from
the files converges when psql applies it to the live databases, and the reader's errors
name the file, line and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from postgres_apply import psql
from test_columns_postgres import EXPECTED, _findings, _setup

from indexdrift.cli.main import cli
from indexdrift.core.errors import IndexDriftError, InputError
from indexdrift.dialects.postgresql.catalog import read_postgres_columns
from indexdrift.dialects.postgresql.columns_csv import (
    FIELDS,
    is_pg_columns_csv,
    read_pg_columns_csv,
)
from indexdrift.sources.column_files import read_columns_file
from indexdrift.sources.urls import parse_url


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def export(source: str, path: Path, objects: str) -> Path:
    result = invoke("export", source, "--objects", objects, "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def _export_all(postgres, dbs: dict[str, str], out: Path) -> dict[str, tuple[Path, Path]]:
    return {env: (export(postgres.url(db), out / f"indexes_{env}.csv", "indexes"),
                  export(postgres.url(db), out / f"columns_{env}.csv", "columns"))
            for env, db in dbs.items()}


def _file_args(files: dict[str, tuple[Path, Path]]) -> list[str]:
    args = [f"{env}={idx}" for env, (idx, _) in files.items()]
    for env, (_, cols) in files.items():
        args += ["--columns-from", f"{env}={cols}"]
    return args


def _file_findings(files) -> dict[tuple, list[str]]:
    result = invoke("compare", *_file_args(files), "--objects", "indexes,columns",
                    "--format", "json")
    assert result.exit_code == 1, result.output
    return {(f["env"], f["kind"], f.get("column") or f["index"]): f["changes"]
            for f in json.loads(result.stdout)["findings"]}


@pytest.mark.postgres
def test_exported_files_read_and_compare_exactly_like_the_live_envs(postgres, tmp_path):
    dbs = _setup(postgres)
    files = _export_all(postgres, dbs, tmp_path)
    for env, db in dbs.items():
        path = files[env][1]
        assert is_pg_columns_csv(str(path))
        header = path.read_text(encoding="utf-8").splitlines()[0]
        assert header == ",".join(FIELDS)
        read = read_pg_columns_csv(str(path))
        assert (read.flavor, read.schema) == ("postgresql", "public")
        # field for field (defaults, identity, serial, collation, generated, comment)
        assert read.tables == read_postgres_columns(parse_url(postgres.url(db)), env), env
    assert _file_findings(files) == EXPECTED
    # the whole JSON report too, not only the finding keys
    live = invoke("compare", *[f"{e}={postgres.url(db)}" for e, db in dbs.items()],
                  "--objects", "indexes,columns", "--format", "json")
    from_files = invoke("compare", *_file_args(files), "--objects", "indexes,columns",
                        "--format", "json")
    assert json.loads(live.stdout)["findings"] == json.loads(from_files.stdout)["findings"]
    # and through indexdrift.toml envs with a columns key
    (tmp_path / "indexdrift.toml").write_text(
        "baseline = \"prd\"\n"
        + "".join(f"[envs.{env}]\nsource = \"{idx}\"\ncolumns = \"{cols}\"\n"
                  for env, (idx, cols) in files.items()), encoding="utf-8")
    result = invoke("compare", "--config", str(tmp_path / "indexdrift.toml"), "--objects",
                    "indexes,columns", "--format", "json")
    assert json.loads(result.stdout)["findings"] == json.loads(live.stdout)["findings"]


@pytest.mark.postgres
def test_migration_from_the_files_converges_on_the_live_databases(postgres, tmp_path):
    dbs = _setup(postgres)
    files = _export_all(postgres, dbs, tmp_path)
    out = tmp_path / "out"
    result = invoke("migrate", *_file_args(files), "--objects", "indexes,columns", "--out",
                    str(out))
    assert result.exit_code == 0, result.output
    for env in ("dev", "stg"):
        psql(dbs[env], (out / f"{env}.sql").read_text())
    # Left: what every PostgreSQL column migration states it holds back.
    assert _findings(postgres, dbs) == {("dev", "column_moved", "created_at"): ["position"],
                                        ("dev", "column_extra", 'Le"gacy'): []}
    for env in ("dev", "stg"):
        psql(dbs[env], (out / f"{env}.rollback.sql").read_text())
    assert _findings(postgres, dbs) == EXPECTED


@pytest.mark.postgres
def test_other_schema_is_named_in_the_file_and_picked_with_hash(postgres, tmp_path):
    db = postgres.create_db("app")
    postgres.run(db, "CREATE SCHEMA app; CREATE TYPE app.lvl AS ENUM ('lo', 'hi');"
                     "CREATE TABLE app.t (id serial, l app.lvl NOT NULL DEFAULT 'hi');")
    path = export(postgres.url(db, "app"), tmp_path / "c.csv", "columns")
    rows = path.read_text(encoding="utf-8").splitlines()
    assert rows[1:] == ["postgresql,{v},app,t,id,1,integer,NO,,YES,,,,,,".format(
                            v=rows[1].split(",")[1]),
                        "postgresql,{v},app,t,l,2,lvl,NO,'hi',NO,,,,,,".format(
                            v=rows[1].split(",")[1])]
    assert read_pg_columns_csv(f"{path}#app").tables == \
        read_postgres_columns(parse_url(postgres.url(db, "app")), "x")
    with pytest.raises(InputError, match="schema 'public' is not in the file"):
        read_pg_columns_csv(f"{path}#public")


# The header of a file written before IDENTITY_OPTIONS existed: such files stay readable
# (the rows below are in this layout).
OLD_FIELDS = tuple(f for f in FIELDS if f != "IDENTITY_OPTIONS")


def _write(tmp_path: Path, rows: list[str], name: str = "c.csv",
           header: tuple[str, ...] = OLD_FIELDS) -> str:
    path = tmp_path / name
    path.write_text(",".join(header) + "\n" + "".join(r + "\n" for r in rows),
                    encoding="utf-8")
    return str(path)


GOOD = "postgresql,15.2,public,t,id,1,integer,NO,,NO,ALWAYS,,,,"


def test_values_read_as_written(tmp_path):
    path = _write(tmp_path, [
        GOOD,
        'postgresql,15.2,public,t,"Na""me",2,text,YES,NULL,NO,,,,"""C""","두 줄\n코멘트"',
        "postgresql,15.2,public,t,total,3,integer,YES,NULL,NO,,STORED,(id * 2),,",
        "postgresql,15.2,public,u,id,1,integer,NO,,YES,,,,,"])
    tables = read_pg_columns_csv(path).tables
    ident, quoted, total = tables["t"].values()
    assert (ident.identity, ident.default, ident.nullable) == ("ALWAYS", None, False)
    assert (quoted.name, quoted.default, quoted.collation, quoted.comment) == \
        ('Na"me', "NULL", '"C"', "두 줄\n코멘트")
    assert (total.generated, total.expression) == ("STORED", "(id * 2)")
    assert tables["u"]["id"].auto_increment
    # A MySQL export is still read by the information_schema reader.
    mysql = tmp_path / "m.csv"
    mysql.write_text("TABLE_SCHEMA,TABLE_NAME,COLUMN_NAME,ORDINAL_POSITION,COLUMN_DEFAULT,"
                     "IS_NULLABLE,COLUMN_TYPE\nshop,t,a,1,NULL,YES,int(11)\n", encoding="utf-8")
    assert not is_pg_columns_csv(str(mysql))
    assert read_columns_file(str(mysql), "prd")["t"]["a"].dialect == "mysql"
    assert read_columns_file(path, "prd", "postgresql")["t"]["id"].dialect == "postgresql"


@pytest.mark.parametrize(("row", "line", "column", "message"), [
    ("postgresql,15.2,public,t,id,x,integer,NO,,NO,,,,,", 2, "POSITION", "not a whole number"),
    ("postgresql,15.2,public,t,id,1,integer,maybe,,NO,,,,,", 2, "IS_NULLABLE", "not YES or NO"),
    ("postgresql,15.2,public,t,id,1,integer,NO,,NO,SOMETIMES,,,,", 2, "IDENTITY",
     "'SOMETIMES' is not ALWAYS or BY DEFAULT"),
    ("postgresql,15.2,public,t,id,1,integer,NO,,NO,,STORED,,,", 2, "GENERATION_EXPRESSION",
     "needs its expression"),
    ("mysql,8.0,public,t,id,1,integer,NO,,NO,,,,,", 2, "FLAVOR", "is not postgresql"),
    ("postgresql,15.2,public,t,,1,integer,NO,,NO,,,,,", 2, "COLUMN_NAME", "value is required"),
    ("postgresql,15.2,other,t,b,1,integer,NO,,NO,,,,,", 3, "TABLE_SCHEMA",
     "more than one schema"),
    ("postgresql,15.2,public,t,id,2,integer,NO,,NO,,,,,", 3, "COLUMN_NAME", "listed twice"),
])
def test_errors_name_file_line_and_column(tmp_path, row, line, column, message):
    rows = [GOOD, row] if line == 3 else [row]
    path = _write(tmp_path, rows)
    with pytest.raises(InputError, match=message) as caught:
        read_pg_columns_csv(path)
    assert (caught.value.line, caught.value.column) == (line, column)


def test_missing_header_column_and_wrong_family(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("FLAVOR,IS_SERIAL,TABLE_NAME\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing column"):
        read_columns_file(str(path), "prd")
    good = _write(tmp_path, [GOOD])
    with pytest.raises(IndexDriftError, match="holds postgresql columns but the env's "
                                              "indexes are mariadb"):
        read_columns_file(good, "prd", "mariadb")


def test_identity_options_read_canonical_and_old_files_do_not_compare_them(tmp_path):
    from indexdrift.compare.columns import compare_columns

    # written by hand: any order, defaults spelled out, lower case
    new = _write(tmp_path, [
        "postgresql,15.2,public,t,id,1,integer,NO,,NO,ALWAYS,"
        "cache 20 increment by 5 MINVALUE 1 maxvalue 2147483647 start with 100,,,,",
        "postgresql,15.2,public,t,d,2,bigint,NO,,NO,BY DEFAULT,INCREMENT BY -1,,,,",
        "postgresql,15.2,public,t,e,3,smallint,NO,,NO,BY DEFAULT,,,,,"],
        "new.csv", FIELDS)
    cols = read_pg_columns_csv(new).tables["t"]
    assert cols["id"].identity_options == "START WITH 100 INCREMENT BY 5 CACHE 20"
    assert cols["d"].identity_options == "INCREMENT BY -1"
    assert cols["e"].identity_options == ""  # all defaults, and known to be
    old = read_pg_columns_csv(_write(tmp_path, [GOOD], "old.csv")).tables["t"]
    assert old["id"].identity_options is None  # not known: not compared
    assert compare_columns({"id": cols["id"]}, old) == []
    other = read_pg_columns_csv(_write(tmp_path, [
        "postgresql,15.2,public,t,id,1,integer,NO,,NO,ALWAYS,,,,,"], "n.csv", FIELDS)).tables
    assert [d.changes for d in compare_columns({"id": cols["id"]}, other["t"])] == [
        ["identity_options"]]


@pytest.mark.parametrize(("options", "identity", "message"), [
    ("INCREMENT BY 5", "", "only an identity column has identity options"),
    ("INCREMENT BY five", "ALWAYS", "not an identity option"),
    ("INCREMENT BY 0", "ALWAYS", "INCREMENT BY 0"),
])
def test_identity_option_errors_name_the_column(tmp_path, options, identity, message):
    path = _write(tmp_path, [f"postgresql,15.2,public,t,id,1,integer,NO,,NO,{identity},"
                             f"{options},,,,"], header=FIELDS)
    with pytest.raises(InputError, match=message) as caught:
        read_pg_columns_csv(path)
    assert (caught.value.line, caught.value.column) == (2, "IDENTITY_OPTIONS")
