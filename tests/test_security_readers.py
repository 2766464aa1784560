"""Hostile files handed over as exports: every reader refuses what could turn into SQL
that was never in any database, or into memory the machine does not have, with one line
naming the file, line and column (or the env and the object), exit 2, no traceback.

- NUL bytes in any CSV (raw, or as ``mysql --batch``'s ``\\0``), and anywhere in the
  snapshot of every other source (snapshot files, SQLite, live servers);
- SQL cells (expressions, predicates, defaults, generation expressions, types, names)
  that are not one expression, type or name; legitimate ones exported from the real
  MariaDB and PostgreSQL still read back;
- lines, fields and headers beyond the limits (``INDEXDRIFT_LIMIT_*``), files with no
  line break, quotes that never close, header-only files, out-of-range positions and
  prefix lengths; error messages stay short whatever the input.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.core.errors import IndexDriftError, InputError
from indexdrift.dialects.mysql.statistics_csv import read_csv
from indexdrift.model.tables import ForeignKey, Index, KeyPart, Snapshot, Table
from indexdrift.sources import open_source
from indexdrift.sources.catalog_csv import COLUMNS as CATALOG_COLUMNS
from indexdrift.sources.catalog_csv import read_catalog_csv
from indexdrift.sources.checks import check_snapshot
from indexdrift.sources.column_files import read_columns_file
from indexdrift.sources.snapshot import load_snapshot, save_snapshot
from indexdrift.sources.sqlcells import expression_problem

STATS = ("TABLE_SCHEMA,TABLE_NAME,INDEX_NAME,NON_UNIQUE,SEQ_IN_INDEX,COLUMN_NAME,COLLATION,"
         "INDEX_TYPE,SUB_PART,INDEX_COMMENT")
STATS_EXPR = STATS + ",IS_VISIBLE,EXPRESSION"
INJECTION = "true); DROP TABLE c1; --"


def run_main(*args: str, env: dict | None = None):
    """The real entry point in a child process."""
    return subprocess.run([sys.executable, "-m", "indexdrift", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", newline="")
    return path


def stats(*rows: str, header: str = STATS) -> str:
    return "\n".join((header, *rows)) + "\n"


GOOD = ("shop,users,PRIMARY,0,1,id,A,BTREE,NULL,", "shop,users,ix_email,1,1,email,A,BTREE,20,")


def one_error_line(proc) -> str:
    """The child's stderr, checked to be one error line (exit 2, no traceback)."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


# --- NUL bytes -------------------------------------------------------------------------

def test_nul_in_a_statistics_csv_is_refused_naming_line_and_column(tmp_path):
    path = write(tmp_path, "i.csv", stats(*GOOD, "shop,c1\0x,ix_a,1,1,a,A,BTREE,NULL,"))
    other = write(tmp_path, "j.csv", stats(*GOOD))
    line = one_error_line(run_main("compare", f"prd={other}", f"stg={path}"))
    assert f"{path}:4: column TABLE_NAME:" in line
    assert "NUL byte" in line


def test_nul_as_the_mysql_batch_escape_is_refused_but_an_escaped_backslash_is_not(tmp_path):
    header = STATS.replace(",", "\t")
    good = [r.replace(",", "\t") for r in GOOD]
    bad = write(tmp_path, "b.tsv", stats(*good, "shop\tusers\tix_c\t1\t1\tc\tA\tBTREE\tNULL\t"
                                         "a\\0b", header=header))
    with pytest.raises(InputError, match=r"b.tsv:4: column INDEX_COMMENT: .*NUL"):
        read_csv(str(bad))
    fine = write(tmp_path, "f.tsv", stats(*good, "shop\tusers\tix_c\t1\t1\tc\tA\tBTREE\tNULL\t"
                                          "a\\\\0b", header=header))
    assert read_csv(str(fine)).tables["users"].indexes["ix_c"].comment == "a\\0b"


def _catalog_row(**cells) -> str:
    row = {c: "" for c in CATALOG_COLUMNS}
    row.update(FLAVOR="postgresql", SERVER_VERSION="15.0", TABLE_SCHEMA="public",
               TABLE_NAME="t", INDEX_NAME="ix", ACCESS_METHOD="btree", IS_UNIQUE="NO",
               IS_PRIMARY="NO", IS_VALID="YES", PART_KIND="key", SEQ="1", COLUMN_NAME="a",
               DESCENDING="NO")
    row.update(cells)
    return ",".join('"' + row[c].replace('"', '""') + '"' for c in CATALOG_COLUMNS)


def catalog(*rows: str) -> str:
    return "\n".join((",".join(CATALOG_COLUMNS), *rows)) + "\n"


PG_COLUMNS = ("FLAVOR,SERVER_VERSION,TABLE_SCHEMA,TABLE_NAME,COLUMN_NAME,POSITION,COLUMN_TYPE,"
              "IS_NULLABLE,COLUMN_DEFAULT,IS_SERIAL,IDENTITY,IDENTITY_OPTIONS,GENERATED,"
              "GENERATION_EXPRESSION,COLLATION,COLUMN_COMMENT")
MY_COLUMNS = ("TABLE_SCHEMA,TABLE_NAME,COLUMN_NAME,ORDINAL_POSITION,COLUMN_DEFAULT,IS_NULLABLE,"
              "DATA_TYPE,COLUMN_TYPE,CHARACTER_SET_NAME,COLLATION_NAME,EXTRA,COLUMN_COMMENT,"
              "GENERATION_EXPRESSION,IS_GENERATED")


def pg_columns(*rows: str) -> str:
    return "\n".join((PG_COLUMNS, *rows)) + "\n"


def my_columns(*rows: str) -> str:
    return "\n".join((MY_COLUMNS, *rows)) + "\n"


@pytest.mark.parametrize("name, text, read, where", [
    ("cat.csv", catalog(_catalog_row(), _catalog_row(INDEX_COMMENT="a\0b", INDEX_NAME="iy")),
     read_catalog_csv, ":3: column INDEX_COMMENT:"),
    ("pgcol.csv", pg_columns('postgresql,15,public,t,a,1,integer,YES,NULL,NO,,,,,,',
                             'postgresql,15,public,t,b\0,2,integer,YES,NULL,NO,,,,,,'),
     lambda p: read_columns_file(p, "prd"), ":3: column COLUMN_NAME:"),
    ("mycol.csv", my_columns("shop,t,a,1,NULL,YES,int,int(11),NULL,NULL,,x\0y,NULL,NEVER"),
     lambda p: read_columns_file(p, "prd"), ":2: column COLUMN_COMMENT:"),
])
def test_nul_in_every_csv_format_is_refused_naming_line_and_column(tmp_path, name, text, read,
                                                                   where):
    path = write(tmp_path, name, text)
    with pytest.raises(InputError, match="NUL byte") as found:
        read(str(path))
    assert where in str(found.value)


def _snapshot() -> Snapshot:
    snap = Snapshot(source="snap", schema="shop", flavor="postgresql", version="15")
    table = snap.table("users")
    table.add(Index("users", "ix_a", (KeyPart("a"),), predicate="(a IS NOT NULL)",
                    include=("b",), storage=(("fillfactor", "70"),)))
    table.foreign_keys = (ForeignKey("users", "fk_x", ("x",)),)
    table.referenced_by["ix_a"] = ("orders.fk_user",)
    return snap


def _text_fields(cls) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)
            if f.type not in ("bool", "int", "int | None", "bool | None")]


@pytest.mark.parametrize("where, field", [
    *[("index", f) for f in _text_fields(Index) if f not in ("table", "parts")],
    *[("part", f) for f in _text_fields(KeyPart)],
    *[("table", f) for f in _text_fields(Table) if f not in ("name", "indexes", "columns")],
    *[("snapshot", f) for f in _text_fields(Snapshot) if f != "tables"],
])
def test_the_snapshot_walk_finds_a_nul_in_every_text_field(where, field):
    snap = _snapshot()
    table = snap.tables["users"]
    index = table.indexes["ix_a"]

    def poisoned(value):
        if isinstance(value, tuple):
            return tuple(poisoned(v) for v in value) if value else ("x\0",)
        if isinstance(value, dict):
            return {k: poisoned(v) for k, v in value.items()}
        if isinstance(value, list):
            return ["x\0"]
        if dataclasses.is_dataclass(value):
            first = dataclasses.fields(value)[1]
            return dataclasses.replace(value, **{first.name: poisoned(getattr(value, first.name))})
        return (value or "") + "\0"

    if where == "index":
        table.indexes["ix_a"] = dataclasses.replace(index, **{field: poisoned(getattr(index,
                                                                                       field))})
    elif where == "part":
        part = dataclasses.replace(index.parts[0], **{field: "x\0"})
        table.indexes["ix_a"] = dataclasses.replace(index, parts=(part,))
    elif where == "table":
        setattr(table, field, poisoned(getattr(table, field)))
    else:
        setattr(snap, field, poisoned(getattr(snap, field)))
    with pytest.raises(IndexDriftError, match="env prd: .*NUL byte"):
        check_snapshot(snap, "prd")
    check_snapshot(_snapshot(), "prd")  # the same snapshot without the NUL passes


def test_nul_in_a_snapshot_file_is_refused_naming_env_and_object(tmp_path):
    path = str(tmp_path / "s.json")
    save_snapshot(_snapshot(), path)
    data = json.loads(Path(path).read_text())
    data["tables"][0]["indexes"][0]["comment"] = "one\0two"
    Path(path).write_text(json.dumps(data))
    line = one_error_line(run_main("compare", f"prd={path}", f"stg={path}"))
    # The snapshot loader itself may refuse it first (with the JSON path), else the walk
    # does (with the env and the object); either names the file and the comment.
    assert path in line and "comment" in line and "NUL byte" in line


# --- SQL cells --------------------------------------------------------------------------

@pytest.mark.parametrize("cells, column", [
    (dict(PREDICATE=INJECTION), "PREDICATE"),
    (dict(EXPRESSION=INJECTION, COLUMN_NAME=""), "EXPRESSION"),
    (dict(EXPRESSION="lower(a)); DROP TABLE c1; --", COLUMN_NAME=""), "EXPRESSION"),
    (dict(PREDICATE="a > 0; DROP TABLE c1"), "PREDICATE"),
    (dict(PREDICATE="DROP TABLE c1"), "PREDICATE"),
    (dict(PREDICATE="a /* x */ > 0"), "PREDICATE"),
    (dict(PREDICATE="a > 'x"), "PREDICATE"),
    (dict(PREDICATE="a > (SELECT 1)"), "PREDICATE"),
    (dict(OPCLASS="text_pattern_ops); DROP TABLE c1; --"), "OPCLASS"),
    (dict(COLLATION='"C") ; DROP TABLE c1; --'), "COLLATION"),
    (dict(EXCLUDE_OPERATOR="=) ; DROP TABLE c1; --"), "EXCLUDE_OPERATOR"),
    (dict(ACCESS_METHOD="btree (a); DROP TABLE c1; --"), "ACCESS_METHOD"),
])
def test_catalog_csv_sql_cells_that_are_not_one_expression_are_refused(tmp_path, cells, column):
    path = write(tmp_path, "cat.csv", catalog(_catalog_row(INDEX_NAME="ok"),
                                              _catalog_row(**cells)))
    line = one_error_line(run_main("compare", f"prd={path}", f"stg={path}"))
    assert f"{path}:3: column {column}:" in line


@pytest.mark.parametrize("expression", [INJECTION, "(`a`)) , DROP INDEX x, ADD INDEX ((`b`)",
                                        "`a` # rest", "lower(`a`) /*!50000 , DROP INDEX x */"])
def test_statistics_csv_expression_cells_are_checked_on_either_path(tmp_path, expression):
    visible = ",YES,NULL"
    rows = [r + visible for r in GOOD] + [
        'shop,users,ix_f,1,1,NULL,A,BTREE,NULL,,YES,"' + expression.replace('"', '""') + '"']
    path = write(tmp_path, "f.csv", stats(*rows, header=STATS_EXPR))
    with pytest.raises(InputError, match=r"f.csv:4: column EXPRESSION:"):
        read_csv(str(path))


@pytest.mark.parametrize("row, column", [
    ("shop,t,a,1,0); DROP TABLE c1; --,YES,int,int(11),NULL,NULL,,,NULL,NEVER",
     "COLUMN_DEFAULT"),
    ("shop,t,a,1,\"1, DROP COLUMN b\",YES,int,int(11),NULL,NULL,,,NULL,NEVER",
     "COLUMN_DEFAULT"),
    ("shop,t,a,1,NULL,YES,int,int(11),NULL,NULL,VIRTUAL GENERATED,,\"1); DROP TABLE c1; --\","
     "ALWAYS", "GENERATION_EXPRESSION"),
    ("shop,t,a,1,NULL,YES,int,int; DROP TABLE c1,NULL,NULL,,,NULL,NEVER", "COLUMN_TYPE"),
    ("shop,t,a,1,NULL,YES,varchar,varchar(5),utf8mb4; DROP TABLE c1,NULL,,,NULL,NEVER",
     "CHARACTER_SET_NAME"),
])
def test_columns_csv_sql_cells_are_checked(tmp_path, row, column):
    path = write(tmp_path, "c.csv", my_columns("shop,t,id,2,NULL,NO,int,int(11),NULL,NULL,,,"
                                               "NULL,NEVER", row))
    with pytest.raises(InputError, match=rf"c.csv:3: column {column}:"):
        read_columns_file(str(path), "prd")


@pytest.mark.parametrize("row, column", [
    ("postgresql,15,public,t,a,1,integer,YES,0); DROP TABLE c1; --,NO,,,,,,", "COLUMN_DEFAULT"),
    ("postgresql,15,public,t,a,1,integer,YES,,NO,,,STORED,(b)); DROP TABLE c1; --,,",
     "GENERATION_EXPRESSION"),
    ('postgresql,15,public,t,a,1,text,YES,,NO,,,,,"""C""; DROP TABLE c1",', "COLLATION"),
])
def test_postgres_column_csv_sql_cells_are_checked(tmp_path, row, column):
    path = write(tmp_path, "p.csv", pg_columns("postgresql,15,public,t,id,2,integer,NO,,NO,,,,,,",
                                               row))
    with pytest.raises(InputError, match=rf"p.csv:3: column {column}:"):
        read_columns_file(str(path), "prd")


def test_snapshot_file_expressions_are_checked_too(tmp_path):
    path = str(tmp_path / "s.json")
    save_snapshot(_snapshot(), path)
    data = json.loads(Path(path).read_text())
    data["tables"][0]["indexes"][0]["predicate"] = INJECTION
    Path(path).write_text(json.dumps(data))
    line = one_error_line(run_main("compare", f"prd={path}", f"stg={path}"))
    assert "the predicate of index 'ix_a' on table 'users'" in line
    assert "closes a parenthesis it did not open" in line


@pytest.mark.parametrize("text, dialect", [
    ("(lower((email)::text))", "postgres"), ("((status)::text = 'a;b'::text)", "postgres"),
    ('((name)::text COLLATE "C")', "postgres"), ("(deleted_at IS NOT NULL)", "postgres"),
    ("(a |/ 2)", "postgres"), ("xmlexists('//a'::text PASSING BY VALUE x)", "postgres"),
    ("E'a\\\\b'", "postgres"), ("(data ? 'k'::text)", "postgres"), ("now()", "postgres"),
    ("cast(json_unquote(json_extract(`doc`,_utf8mb4'$.a')) as char(30) charset utf8mb4)",
     "mysql"), ("'a\\\\b'", "mysql"), ("current_timestamp()", "mysql"),
    ("concat(`a`,';',`b`)", "mysql"),
])
def test_legitimate_expressions_pass(text, dialect):
    assert expression_problem(text, dialect) is None


@pytest.mark.parametrize("text, dialect", [
    # A backslash may or may not escape the quote, depending on the server's settings
    # (NO_BACKSLASH_ESCAPES, standard_conforming_strings): both readings must be safe.
    ("'a\\' ; DROP TABLE x; #'", "mysql"), ("'a\\' ; DROP TABLE x; --'", "postgres"),
    ("$$ ; DROP TABLE x; $$", "postgres"), ("x = :'var'", "postgres"), ("@v", "mysql"),
    ("a \\! rm -rf", "postgres"), ("0, DROP COLUMN x", "mysql"),
])
def test_text_whose_meaning_depends_on_the_server_is_refused(text, dialect):
    assert expression_problem(text, dialect) is not None


def test_sqlglot_is_imported_only_when_a_cell_needs_it(tmp_path):
    plain = write(tmp_path, "p.csv", stats(*GOOD))
    functional = write(tmp_path, "f.csv", stats(
        *[r + ",YES,NULL" for r in GOOD], "shop,users,ix_f,1,1,NULL,A,BTREE,NULL,,YES,"
        '"lower(`email`) + 1"', header=STATS_EXPR))
    code = ("import sys; from indexdrift.sources import open_source; open_source(sys.argv[1], "
            "'prd'); print('sqlglot' in sys.modules)")
    for path, expected in ((plain, "False"), (functional, "True")):
        proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                              text=True, check=True)
        assert proc.stdout.strip() == expected


# --- limits, quotes, ranges, empty files ------------------------------------------------

def test_a_line_over_the_limit_is_refused_naming_the_limit_and_how_to_raise_it(tmp_path):
    path = write(tmp_path, "l.csv", stats(*GOOD, "shop,users,ix_l,1,1,a,A,BTREE,NULL,"
                                          + "x" * 5000))
    line = one_error_line(run_main("compare", f"prd={path}", f"stg={path}",
                                   env={"INDEXDRIFT_LIMIT_LINE_BYTES": "4096"}))
    assert f"{path}:4:" in line and "more than 4,096 bytes in one line" in line
    assert "INDEXDRIFT_LIMIT_LINE_BYTES=N" in line
    proc = run_main("compare", f"prd={path}", f"stg={path}",
                    env={"INDEXDRIFT_LIMIT_LINE_BYTES": "8192"})
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("header", [STATS, ",".join(CATALOG_COLUMNS), MY_COLUMNS, PG_COLUMNS])
def test_a_file_without_line_breaks_is_refused_in_bounded_memory(tmp_path, header):
    path = tmp_path / "big.csv"
    with path.open("w") as fh:
        fh.write(header + "\n")
        chunk = "x" * (1 << 20)
        for _ in range(64):  # 64 MiB in one line
            fh.write(chunk)
    # VmHWM, this process's own peak (ru_maxrss may keep the forking parent's).
    code = ("import re, sys\nfrom indexdrift.cli.main import main\nsys.argv[0] = 'indexdrift'\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
            "status = open('/proc/self/status').read()\n"
            "print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1), code)")
    args = ["compare", f"prd={path}", f"stg={path}"]
    if header in (MY_COLUMNS, PG_COLUMNS):
        index_file = write(tmp_path, "i.csv", stats(*GOOD))
        args = ["compare", f"prd={index_file}", f"stg={index_file}", "--objects", "columns",
                "--columns-from", f"prd={path}", "--columns-from", f"stg={path}"]
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=300)
    peak_kib, code_text = proc.stdout.split()[-2:]
    assert code_text == "2", proc.stderr
    assert "more than 1,048,576 bytes in one line" in proc.stderr
    assert f"{path}:2:" in proc.stderr
    assert int(peak_kib) < 150 * 1024, f"peak {int(peak_kib) // 1024} MiB"


def test_a_field_over_the_limit_names_the_limit_and_where_its_quote_opened(tmp_path):
    body = "\n".join("y" * 100 for _ in range(100))  # 10 KB across 100 lines
    path = write(tmp_path, "q.csv", stats(*GOOD, f'shop,users,ix_q,1,1,a,A,BTREE,NULL,"{body}"'))
    line = one_error_line(run_main("compare", f"prd={path}", f"stg={path}",
                                   env={"INDEXDRIFT_LIMIT_FIELD_BYTES": "5000"}))
    assert "more than 5,000 bytes in one CSV/TSV field" in line
    assert "INDEXDRIFT_LIMIT_FIELD_BYTES=N" in line and "quote opened on line 4" in line


def test_an_unclosed_quote_in_the_last_column_is_an_error_not_lost_rows(tmp_path):
    rows = ["shop,users,PRIMARY,0,1,id,A,BTREE,NULL,",
            'shop,users,ix_a,1,1,a,A,BTREE,NULL,"unclosed comment',
            "shop,orders,PRIMARY,0,1,id,A,BTREE,NULL,",
            "shop,orders,ix_b,1,1,b,A,BTREE,NULL,"]
    path = write(tmp_path, "u.csv", stats(*rows))
    line = one_error_line(run_main("compare", f"prd={path}", f"stg={path}"))
    assert f"{path}:3:" in line and "a quote opened here is never closed" in line
    # The last cell of the last row opens a quote and the file ends.
    cat = write(tmp_path, "c.csv", catalog(_catalog_row()) + _catalog_row(INDEX_NAME="b")[:-1]
                + "\n")
    with pytest.raises(InputError, match="c.csv:3: a quote opened here is never closed"):
        read_catalog_csv(str(cat))


@pytest.mark.parametrize("name, text, read", [
    ("s.csv", STATS + "\n", read_csv),
    ("s.tsv", STATS.replace(",", "\t") + "\n\n", read_csv),
    ("c.csv", ",".join(CATALOG_COLUMNS) + "\n", read_catalog_csv),
    ("m.csv", MY_COLUMNS + "\n", lambda p: read_columns_file(p, "prd")),
    ("p.csv", PG_COLUMNS + "\n", lambda p: read_columns_file(p, "prd")),
])
def test_a_header_only_file_is_no_tables_like_an_empty_live_schema(tmp_path, name, text, read):
    path = write(tmp_path, name, text)
    with pytest.raises(InputError, match="no tables: the file has no rows after its header"):
        read(str(path))


@pytest.mark.parametrize("cell, column, message", [
    ("SUB_PART=-5", "SUB_PART", "-5 is not a prefix length (1 to 3072"),
    ("SUB_PART=1" + "0" * 40, "SUB_PART", "1" + "0" * 40 + " is not a prefix length (1 to 3072"),
    ("SUB_PART=3073", "SUB_PART", "3073 is not a prefix length (1 to 3072: InnoDB"),
    ("SEQ_IN_INDEX=33", "SEQ_IN_INDEX", "33 is not a key part position (1 to 32"),
    ("SEQ_IN_INDEX=0", "SEQ_IN_INDEX", "0 is not a key part position"),
    ("NON_UNIQUE=2", "NON_UNIQUE", "2 is not 0 or 1"),
])
def test_positions_and_prefix_lengths_out_of_range_are_refused(tmp_path, cell, column, message):
    name, value = cell.split("=")
    cells = dict(zip(STATS.split(","), "shop,users,ix_z,1,1,z,A,BTREE,NULL,".split(","),
                     strict=True))
    cells[name] = value
    path = write(tmp_path, "r.csv", stats(*GOOD, ",".join(cells.values())))
    with pytest.raises(InputError) as found:
        read_csv(str(path))
    assert f"r.csv:4: column {column}: {message}" in str(found.value)


def test_the_largest_prefix_and_key_part_count_still_read(tmp_path):
    rows = [f"shop,users,ix_wide,1,{n},c{n},A,BTREE,{3072 if n == 1 else 'NULL'},"
            for n in range(1, 33)]
    snap = read_csv(str(write(tmp_path, "w.csv", stats(*GOOD, *rows))))
    index = snap.tables["users"].indexes["ix_wide"]
    assert len(index.parts) == 32 and index.parts[0].sub_part == 3072


@pytest.mark.parametrize("position, message", [("0", "0 is not a column position (1 to 4096"),
                                               ("4097", "4097 is not a column position")])
def test_ordinal_position_out_of_range_is_refused(tmp_path, position, message):
    path = write(tmp_path, "o.csv", my_columns(
        f"shop,t,a,{position},NULL,YES,int,int(11),NULL,NULL,,,NULL,NEVER"))
    with pytest.raises(InputError, match=r"o.csv:2: column ORDINAL_POSITION: "
                       + re.escape(message)):
        read_columns_file(str(path), "prd")


def test_a_million_column_header_gives_a_short_message(tmp_path):
    path = write(tmp_path, "h.csv", ",".join(f"C{n}" for n in range(1_000_000)) + "\n")
    line = one_error_line(run_main("compare", f"prd={path}", f"stg={path}"))
    assert len(line) < 400, len(line)
    wide = write(tmp_path, "w.csv", ",".join(f"C{n}" for n in range(5000)) + "\n")
    line = one_error_line(run_main("compare", f"prd={wide}", f"stg={wide}"))
    assert "the header has 5,000 columns: more than 1,000 columns" in line
    assert len(line) < 400


def test_quoted_input_in_errors_is_cut_to_about_100_characters(tmp_path):
    rows = [*GOOD, "shop,users,ix_n,1,1,a,A,BTREE," + "9x" * 200_000 + ","]
    path = write(tmp_path, "n.csv", stats(*rows))
    line = one_error_line(run_main("compare", f"prd={path}", f"stg={path}"))
    assert "is not a whole number" in line and "(400,000 characters)" in line
    assert len(line) < 400
    missing = write(tmp_path, "m.csv", ",".join(f"LONG_COLUMN_{n}" for n in range(900)) + "\n")
    line = one_error_line(run_main("compare", f"prd={missing}", f"stg={missing}"))
    assert "missing required column(s)" in line and len(line) < 600
    schemas = write(tmp_path, "s.csv", stats(*GOOD, "z" * 500_000
                                             + ",users,ix,1,1,a,A,BTREE,NULL,"))
    line = one_error_line(run_main("compare", f"prd={schemas}", f"stg={schemas}"))
    assert "more than one schema" in line and len(line) < 600
    line = one_error_line(run_main("compare", f"prd={path}#{'q' * 100_000}", f"stg={path}"))
    assert "is not in the file" in line and len(line) < 600


# --- round trips on the real servers ----------------------------------------------------

def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.postgres
def test_postgres_export_with_real_expressions_reads_back_unchanged(postgres, tmp_path):
    db = postgres.create_db("sqlcells")
    postgres.run(db, """
        CREATE TABLE c1 (id int PRIMARY KEY, email varchar(100), status text, name text,
          deleted_at timestamp, created_at timestamptz DEFAULT now(), note text DEFAULT 'a;b',
          total numeric(10,2) DEFAULT ((1 + 2) * 3),
          code text GENERATED ALWAYS AS (lower(name) || ';' || status) STORED);
        CREATE INDEX ix_lower ON c1 (lower(email::text));
        CREATE INDEX ix_partial ON c1 (status) WHERE status::text = 'active;x'::text;
        CREATE INDEX ix_collate ON c1 ((name::text) COLLATE "C");
        CREATE INDEX ix_live ON c1 (id) WHERE deleted_at IS NOT NULL;
        CREATE INDEX ix_nested ON c1 (((id + 1) * (id - 1))) WHERE ((id > 0) AND (id < 10));
        CREATE INDEX ix_text ON c1 ((status || ');--'::text));
    """)
    indexes, columns = tmp_path / "i.csv", tmp_path / "c.csv"
    for path, objects in ((indexes, "indexes"), (columns, "columns")):
        result = _invoke("export", postgres.url(db), "--objects", objects, "-o", str(path))
        assert result.exit_code == 0, result.output
    text = indexes.read_text()
    assert "::text" in text and '"C"' in text and "IS NOT NULL" in text
    assert "'active;x'" in text and ");--" in text
    assert "now()" in columns.read_text() or "CURRENT_TIMESTAMP" in columns.read_text()
    result = _invoke("compare", f"prd={postgres.url(db)}", f"stg={indexes}",
                     "--objects", "indexes,columns", "--columns-from", f"stg={columns}")
    assert result.exit_code == 0, result.output


@pytest.mark.mariadb
def test_mariadb_export_with_real_defaults_and_generated_columns_reads_back(mariadb, tmp_path):
    db = mariadb.create_db("sqlcells")
    mariadb.run(db, """
        CREATE TABLE c1 (id int PRIMARY KEY, a varchar(20) DEFAULT 'a;b', b varchar(20)
          DEFAULT 'it''s', c int DEFAULT (1 + 2), d timestamp DEFAULT current_timestamp()
          ON UPDATE current_timestamp(), e varchar(50) AS (concat(a, ');--', b)) VIRTUAL,
          f text DEFAULT 'x\\\\y', KEY ix_a (a(10)), KEY ix_e (e));
    """)
    indexes, columns = tmp_path / "i.csv", tmp_path / "c.csv"
    for path, objects in ((indexes, "indexes"), (columns, "columns")):
        result = _invoke("export", mariadb.url(db), "--objects", objects, "-o", str(path))
        assert result.exit_code == 0, result.output
    assert ");--" in columns.read_text() and "'a;b'" in columns.read_text()
    result = _invoke("compare", f"prd={mariadb.url(db)}", f"stg={indexes}",
                     "--objects", "indexes,columns", "--columns-from", f"stg={columns}")
    assert result.exit_code == 0, result.output


def test_round_trip_through_a_snapshot_keeps_checking(tmp_path):
    path = str(tmp_path / "ok.json")
    save_snapshot(_snapshot(), path)
    assert load_snapshot(path).tables["users"].indexes["ix_a"].predicate == "(a IS NOT NULL)"
    assert open_source(path, "prd").tables["users"].indexes["ix_a"].include == ("b",)
