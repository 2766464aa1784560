"""Hostile-input fuzz of every reader and of the command line (security issue 13).

What an attacker hands over — a STATISTICS or COLUMNS export, a catalog CSV, a snapshot, a
SQLite file, an indexdrift.toml, a script for ``explain``, a queries file for ``plans`` —
is fed, mutated in the ways that matter (NUL, lone surrogates, line breaks and U+2028 in
names, unterminated quotes, huge and negative numbers, deep nesting, fields above the
1 MiB limits, invalid UTF-8, BOMs, CP949, duplicate headers, missing required columns,
header-only files, gzip bombs, SQL in expression and predicate cells, Liquibase and psql
directives after a line break, terminal escapes), to:

- every reader: it returns, or raises IndexDriftError with a one-line message; nothing
  else escapes. Input that a documented rule or limit makes invalid is refused;
- the command line (``compare``, ``check``, ``migrate --out``, ``export -o``, ``snapshot
  -o``, ``lint``, ``explain -f``, ``plans``), in-process through ``indexdrift.cli.main.main``
  and as ``python -m indexdrift``: exit 2 whenever the input is refused, else 0 or 1
  (``migrate`` and config runs may still refuse later, with an IndexDriftError); never a
  traceback, and no exception but IndexDriftError/click/OSError leaves a command; stderr is
  printable, the error one line starting with ``error:`` (click's usage errors: Usage/Try
  lines, then ``Error:``); on exit 2 the fresh output directory stays empty (no report, no
  ``.tmp`` file), on success the named outputs exist;
- whatever is accepted never becomes executable SQL: a migration written from a hostile
  name, comment or expression has no ``DROP TABLE`` outside literals, identifiers and
  comments, no Liquibase directive of its own and no psql meta-command line.

Where no rule says (a duplicate header, a truncated file, random byte noise, a name with
a line break) either outcome is fine, as long as it is one of the above. Defects this
found are pinned by plain tests in tests/test_fuzz_found.py.

Bounded: about a minute in the normal suite, the same examples every run (derandomized,
so CI does not fail at random). ``INDEXDRIFT_FUZZ_EXAMPLES=N`` runs N random examples per
in-process property (N/10 as subprocesses) for long runs; ``INDEXDRIFT_FUZZ_SHRINK=0``
reports a failure as found, without shrinking it.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click
import click.testing
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import indexdrift.cli.main as cli_module
from indexdrift.core.errors import IndexDriftError
from indexdrift.dialects.mysql.columns_csv import read_columns_csv
from indexdrift.dialects.mysql.statistics_csv import read_csv
from indexdrift.dialects.postgresql.columns_csv import columns_csv_text, read_pg_columns_csv
from indexdrift.dialects.sqlite.catalog import read_sqlite
from indexdrift.model.tables import Column, Index, KeyPart, Snapshot
from indexdrift.sources import open_source
from indexdrift.sources.catalog_csv import export_catalog_csv, read_catalog_csv
from indexdrift.sources.column_files import read_columns_file
from indexdrift.sources.config import load_config
from indexdrift.sources.snapshot import load_snapshot, snapshot_json

EXAMPLES = Path(__file__).parent.parent / "examples"
FIXTURES = Path(__file__).parent / "fixtures"

LONG_RUN = int(os.environ.get("INDEXDRIFT_FUZZ_EXAMPLES", "0"))
# INDEXDRIFT_FUZZ_SHRINK=0: report failures as found, unshrunk (faster while fixing).
PHASES = [p for p in Phase if os.environ.get("INDEXDRIFT_FUZZ_SHRINK") != "0"
          or p not in (Phase.shrink, Phase.explain)]
# Kept low so a gzip bomb is refused after 1 MiB instead of 1 GiB (RAM and time bounded).
LIMIT_ENV = {"INDEXDRIFT_LIMIT_DECOMPRESSED_BYTES": str(1 << 20)}
DECOMPRESSED_LIMIT = 1 << 20
BIG = 2 * 1024 * 1024 + 17  # above the 1 MiB line/field limits of limits.py
EXAMPLE_SECONDS = 30  # one example taking longer is a hang (a denial of service)


def fuzz_settings(default: int) -> settings:
    """``default`` examples, derandomized; or INDEXDRIFT_FUZZ_EXAMPLES random ones."""
    return settings(max_examples=LONG_RUN or default, deadline=None, derandomize=not LONG_RUN,
                    database=None, print_blob=True, phases=PHASES,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example,
                                           HealthCheck.filter_too_much])


# --- seeds: one small valid file of every format -------------------------------------------

def _csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _pg_snapshot() -> Snapshot:
    snap = Snapshot(source="seed", schema="public", flavor="postgresql", version="15.4",
                    has_details=True)
    orders = snap.table("orders")
    orders.add(Index("orders", "orders_pkey", (KeyPart("id", exact_column=True),), unique=True,
                     primary=True, constraint="p", exact_name=True))
    orders.add(Index("orders", "ix_orders_open",
                     (KeyPart("created_at", descending=True, nulls_first=False,
                              exact_column=True),),
                     predicate="(status = 'open'::text)", comment="open orders",
                     include=("status",), storage=(("fillfactor", "70"),), exact_name=True))
    orders.add(Index("orders", "ix_orders_lower",
                     (KeyPart(None, expression="lower(code)", opclass="text_pattern_ops",
                              collation="C", exact_column=True),), exact_name=True))
    orders.referenced_by["orders_pkey"] = ("order_items(order_id)",)
    snap.table("audit")
    return snap


def _sqlite_bytes(extra: str = "") -> bytes:
    conn = sqlite3.connect(":memory:")
    conn.executescript("""
        CREATE TABLE users(id INTEGER PRIMARY KEY, email TEXT UNIQUE, tenant INT, code TEXT);
        CREATE INDEX ix_users_tenant ON users(tenant, code DESC);
        CREATE INDEX ix_users_lower ON users(lower(email));
        CREATE INDEX ix_users_open ON users(code COLLATE NOCASE) WHERE tenant > 0;
        CREATE TABLE orders(id INTEGER PRIMARY KEY, user_email TEXT REFERENCES users(email));
        CREATE INDEX ix_orders_user ON orders(user_email);
        CREATE TABLE plain(x);
    """ + extra)
    data = conn.serialize()
    conn.close()
    return data


def _mysql_snapshot_json() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "prd.tsv"
        path.write_bytes((FIXTURES / "mysql80_prd.tsv").read_bytes())
        snap = read_csv(str(path))
    snap.source = "mysql://app@db/app_prd"
    snap.version = "8.0.36"
    import datetime as dt
    return json.dumps(snapshot_json(snap, dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
                      indent=1).encode()


SEED_PG_COLUMNS = columns_csv_text("15.4", "public", {"orders": {
    "id": Column("id", 1, "bigint", False, identity="ALWAYS", dialect="postgresql",
                 identity_options="INCREMENT BY 5"),
    "code": Column("code", 2, "text", True, default="'x'::text", comment="the code",
                   collation="C", dialect="postgresql"),
    "total": Column("total", 3, "numeric(10,2)", False, generated="STORED",
                    expression="(price * 2)", dialect="postgresql"),
}, "audit": {"n": Column("n", 1, "integer", False, auto_increment=True,
                         dialect="postgresql")}}).encode()

SEED_TOML = """baseline = "prd"
jobs = 2
connect_timeout = 5
[envs.prd]
source = "{PRD}"
[envs.dev]
source = "{DEV}"
[ignore]
tables = ["tmp_*"]
indexes = ["users.ix_debug_*"]
[[waivers]]
env = "dev"
table = "users"
index = "idx_*"
kind = "extra"
reason = "kept for QA (OPS-1)"
expires = 2030-01-01
"""

SEED_EXPLAIN = b"""-- target: mysql 8.0.36, schema shop
ALTER TABLE `orders`
  DROP INDEX `idx_orders_status`,
  ADD INDEX `idx_orders_status` (`status`, `created_at` DESC) COMMENT 'hot',
  ALGORITHM=INPLACE, LOCK=NONE;
CREATE UNIQUE INDEX uq_users_email ON users (email(20));
ALTER TABLE `products` ADD INDEX `ix_lower` ((lower(`sku`))), ALTER INDEX `ix_a` INVISIBLE;
DROP INDEX ix_old ON orders;
"""

SEED_QUERIES = b"""-- top queries
SELECT * FROM orders WHERE status = 'open' ORDER BY created_at DESC LIMIT 10;
SELECT o.id, u.email FROM orders o JOIN users u ON u.id = o.user_id WHERE u.tenant_id = 7;
WITH recent AS (SELECT id FROM orders WHERE created_at > '2026-01-01')
SELECT count(*) FROM recent;
"""


@dataclass(frozen=True, repr=False)
class Format:
    """One input format: a valid seed, how to read it, which columns its reader uses."""

    def __repr__(self) -> str:  # the seed is long: hypothesis prints the name
        return f"Format({self.name})"

    name: str
    suffix: str
    seed: bytes
    read: Callable[[str], object]
    kind: str  # index | columns | config | explain | queries
    delimiter: str | None = None  # CSV formats
    required: tuple[str, ...] = ()  # columns whose absence must be refused
    used: tuple[str, ...] = ()  # columns whose cells the reader looks at
    numbers: dict[str, tuple[int, int]] = field(default_factory=dict)  # column -> range
    utf8_only: bool = False  # CP949 is not accepted


def _read_queries(path: str):
    from indexdrift.evidence.plans import parse_queries
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:  # what commands/plans.py does before parsing
        raise IndexDriftError(f"{path}: not UTF-8 text ({exc.reason})") from None
    return parse_queries(text, path, "mysql")


def _read_explain(path: str):
    from indexdrift.cli.explain import _read
    from indexdrift.explain import explain_text
    return explain_text(_read(path), None)


STATS_USED = ("TABLE_SCHEMA", "TABLE_NAME", "INDEX_NAME", "NON_UNIQUE", "SEQ_IN_INDEX",
              "COLUMN_NAME", "COLLATION", "INDEX_TYPE", "SUB_PART", "INDEX_COMMENT",
              "IS_VISIBLE", "EXPRESSION", "IGNORED")
STATS_REQUIRED = ("TABLE_SCHEMA", "TABLE_NAME", "INDEX_NAME", "NON_UNIQUE", "SEQ_IN_INDEX",
                  "COLUMN_NAME", "COLLATION", "INDEX_TYPE", "SUB_PART")
# The servers' own bounds: InnoDB's 3072-byte key (the longest prefix), MariaDB's 32 key
# parts, 4096 columns a MySQL table can have, PostgreSQL's 32 key parts and 1600 columns.
STATS_NUMBERS = {"SUB_PART": (1, 3072), "NON_UNIQUE": (0, 1), "SEQ_IN_INDEX": (1, 32)}
CATALOG_COLUMNS = ("FLAVOR", "SERVER_VERSION", "TABLE_SCHEMA", "TABLE_NAME", "INDEX_NAME",
                   "ACCESS_METHOD", "IS_UNIQUE", "IS_PRIMARY", "CONSTRAINT_TYPE", "DEFERRABLE",
                   "NULLS_NOT_DISTINCT", "IS_VALID", "PREDICATE", "INDEX_COMMENT", "STORAGE",
                   "PART_KIND", "SEQ", "COLUMN_NAME", "EXPRESSION", "OPCLASS", "COLLATION",
                   "DESCENDING", "NULLS_ORDER", "EXCLUDE_OPERATOR", "REFERENCED_BY")
CATALOG_REQUIRED = tuple(c for c in CATALOG_COLUMNS if c not in
                         ("DEFERRABLE", "STORAGE", "EXCLUDE_OPERATOR", "REFERENCED_BY"))
COLUMNS_REQUIRED = ("TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "ORDINAL_POSITION",
                    "COLUMN_DEFAULT", "IS_NULLABLE", "COLUMN_TYPE")
COLUMNS_USED = COLUMNS_REQUIRED + ("DATA_TYPE", "CHARACTER_SET_NAME", "COLLATION_NAME",
                                   "EXTRA", "COLUMN_COMMENT", "GENERATION_EXPRESSION",
                                   "IS_GENERATED", "SRS_ID")
PG_COLUMNS_FIELDS = ("FLAVOR", "SERVER_VERSION", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME",
                     "POSITION", "COLUMN_TYPE", "IS_NULLABLE", "COLUMN_DEFAULT", "IS_SERIAL",
                     "IDENTITY", "IDENTITY_OPTIONS", "GENERATED", "GENERATION_EXPRESSION",
                     "COLLATION", "COLUMN_COMMENT")

FORMATS = {f.name: f for f in [
    Format("stats_csv", ".csv", (EXAMPLES / "indexes_prd.csv").read_bytes(), read_csv, "index",
           ",", STATS_REQUIRED, STATS_USED, STATS_NUMBERS),
    Format("stats_tsv", ".tsv", (FIXTURES / "mysql80_prd.tsv").read_bytes(), read_csv, "index",
           "\t", STATS_REQUIRED, STATS_USED, STATS_NUMBERS),
    Format("catalog_pg", ".csv", export_catalog_csv(_pg_snapshot()).encode(), read_catalog_csv,
           "index", ",", CATALOG_REQUIRED, CATALOG_COLUMNS, {"SEQ": (1, 32)}, utf8_only=True),
    Format("catalog_sqlite", ".csv",
           export_catalog_csv(read_sqlite(str(EXAMPLES / "shop_prd.sqlite"))).encode(),
           read_catalog_csv, "index", ",", CATALOG_REQUIRED, CATALOG_COLUMNS,
           {"SEQ": (1, 2000)}, utf8_only=True),
    Format("columns_tsv", ".tsv", (FIXTURES / "columns" / "orders_mysql80.tsv").read_bytes(),
           read_columns_csv, "columns", "\t", COLUMNS_REQUIRED, COLUMNS_USED,
           {"ORDINAL_POSITION": (1, 4096)}),
    Format("columns_csv", ".csv", (FIXTURES / "columns" / "orders_mysql57.csv").read_bytes(),
           read_columns_csv, "columns", ",", COLUMNS_REQUIRED, COLUMNS_USED,
           {"ORDINAL_POSITION": (1, 4096)}),
    Format("pg_columns", ".csv", SEED_PG_COLUMNS, read_pg_columns_csv, "columns", ",",
           tuple(c for c in PG_COLUMNS_FIELDS if c != "IDENTITY_OPTIONS"), PG_COLUMNS_FIELDS,
           {"POSITION": (1, 1600)}, utf8_only=True),
    Format("snapshot", ".json", _mysql_snapshot_json(), load_snapshot, "index"),
    Format("snapshot_gz", ".json.gz", gzip.compress(_mysql_snapshot_json(), mtime=0),
           load_snapshot, "index"),
    Format("sqlite", ".sqlite", _sqlite_bytes(), read_sqlite, "index"),
    Format("config", ".toml", SEED_TOML.encode(), load_config, "config"),
    Format("explain", ".sql", SEED_EXPLAIN, _read_explain, "explain"),
    Format("queries", ".sql", SEED_QUERIES, _read_queries, "queries"),
]}
CSV_FORMATS = [f for f in FORMATS.values() if f.delimiter]


# --- what an attacker writes -----------------------------------------------------------------

SQL_ATTACKS = [
    "true); DROP TABLE c1; --",
    "'); DROP TABLE c1; --",
    "`); DROP TABLE c1; -- ",
    '"); DROP TABLE c1; --',
    "x` (id)); DROP TABLE c1; -- ",
    "x\" (id)); DROP TABLE c1; -- ",
    "*/ DROP TABLE c1; /*",
    "$$; DROP TABLE c1; $$",
    "a\nDROP TABLE c1; -- ",
    "a\rDROP TABLE c1; -- ",
    "a\u2028DROP TABLE c1; -- ",
    "x\n--changeset evil:1\nDROP TABLE c1;",
    "x\n--rollback DROP TABLE c1;",
    "x\n\\! touch pwned\n",
    "x\\'; DROP TABLE c1; -- ",
    "(" * 600 + "a" + ")" * 600,  # deeper than sqlglot's recursion reaches
]
NAME_ATTACKS = [
    "", " ", "NULL", "\\N", "\x00", "a\x00b", "a\nb", "a\rb", "a\r\nb", "a\u2028b", "a\u2029b",
    "a\u0085b", "\x1b[2J\x1b[31mred", "\u202eevil", "\ufeffbom", "\ud800", "a\udfffb",
    '"', '"unterminated', "'", "`", "\\", "a\\", "\\0", "\\n", "한국어 이름", "{0}{1}%s%n",
    "-- comment", "/*", "a;b", "(", ")", "\t", "x" * 300, "Ü" * 70,
]
NUMBER_ATTACKS = [
    "1" + "0" * 40, "9" * 5000, "-1", "-99999999999999999999", "0", "1e3", "0x10", "1_000",
    " 5 ", "٣", "²", "+1", "1.5", "NaN", "inf", "", "NULL", "\x00", "2147483648",
]
ATTACKS = SQL_ATTACKS + NAME_ATTACKS + NUMBER_ATTACKS


def decodes(data: bytes, fmt: Format) -> bool:
    """True when the reader's encodings can decode ``data`` (UTF-8, else CP949)."""
    for encoding in ("utf-8-sig",) if fmt.utf8_only else ("utf-8-sig", "cp949"):
        try:
            data.decode(encoding)
            return True
        except UnicodeDecodeError:
            pass
    return False


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def encode(text: str, encoding: str) -> bytes:
    """The file's bytes; a lone surrogate becomes the invalid UTF-8 an attacker can write."""
    if encoding == "cp949":
        try:
            return text.encode("cp949")
        except UnicodeEncodeError:
            pass
    data = text.encode("utf-8", "surrogatepass")
    return b"\xef\xbb\xbf" + data if encoding == "utf-8-sig" else data


@dataclass
class Case:
    """One hostile input: its bytes, what was done, and whether it must be refused."""

    fmt: Format
    data: bytes
    what: str
    must_fail: bool = False

    def __repr__(self) -> str:  # hypothesis prints this when an example fails
        shown = self.data if len(self.data) < 600 else self.data[:300] + b"..." + self.data[-80:]
        return f"Case({self.fmt.name}, {self.what!r}, must_fail={self.must_fail}, {shown!r})"


def _rows(fmt: Format) -> list[list[str]]:
    text = fmt.seed.decode("cp949" if fmt.name == "columns_csv" else "utf-8")
    quoting = csv.QUOTE_NONE if fmt.delimiter == "\t" else csv.QUOTE_MINIMAL
    return [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=fmt.delimiter,
                                  quoting=quoting) if r]


def _tsv_escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r").replace("\x00", "\\0"))


def _join(fmt: Format, rows: list[list[str]], raw_cell: tuple[int, int] | None) -> str:
    """Rows as the format writes them; the cell ``raw_cell`` is put in as it is (an
    attacker's bytes, not what an exporter would write)."""
    lines = []
    for r_no, row in enumerate(rows):
        cells = []
        for c_no, cell in enumerate(row):
            if (r_no, c_no) == raw_cell:
                cells.append(cell)
            elif fmt.delimiter == "\t":
                cells.append(cell if cell == "\\N" else _tsv_escape(cell))
            else:
                cells.append(_csv_text([[cell]]).rstrip("\n") if cell else "")
        lines.append(fmt.delimiter.join(cells))
    return "\n".join(lines) + "\n"


def index_row(rows: list[list[str]]) -> int:
    """The first row of a secondary index (where a value ends up in the migration)."""
    header = [h.strip().upper() for h in rows[0]]
    if "INDEX_NAME" not in header:
        return 1
    at = header.index("INDEX_NAME")
    return next((n for n, row in enumerate(rows) if n and row[at] not in ("", "PRIMARY",
                                                                       "NULL")), 1)


def _cell_verdict(fmt: Format, column: str, payload: str, raw: bool, row: int,
                  cells: list[str] | None = None, header: list[str] | None = None) -> bool:
    """True when documented rules make the file invalid whatever the reader's choices
    (``cells``: the row as it was, ``header``: upper-case names)."""
    used = column in fmt.used
    if cells is not None and header and "INDEX_NAME" in header and column not in (
            "INDEX_NAME", "TABLE_SCHEMA", "TABLE_NAME", "FLAVOR"):
        # A row with no index name stands for a table without indexes: its key part
        # cells are not read (only the byte-level checks below still apply).
        if cells[header.index("INDEX_NAME")] in ("", "NULL", "\\N"):
            used = False
    stored = payload
    if fmt.delimiter == "\t" and raw:
        stored = payload.replace("\\0", "\x00")  # mysql --batch's NUL escape
    if len(payload.encode("utf-8", "surrogatepass")) > (1 << 20):
        return True  # a field/line above the 1 MiB limits
    if used and "\x00" in stored:
        return True  # no database name or text can hold a NUL
    if raw and fmt.delimiter == "," and payload.startswith('"') and payload.count('"') == 1:
        return True  # an unterminated quote swallows the rest of the file
    if row == 0:
        return False
    nulls = ("",) if fmt.utf8_only else ("", "NULL", "\\N")
    if used and column in fmt.numbers:
        low, high = fmt.numbers[column]
        text = payload.strip()
        if text in nulls and column not in ("NON_UNIQUE", "SEQ", "POSITION",
                                            "ORDINAL_POSITION"):
            return False
        if column.endswith("POSITION") or column in ("SEQ", "SEQ_IN_INDEX"):
            # Positions only order things: a whole number in the server's range.
            try:
                return not low <= int(text) <= high
            except ValueError:
                return True
        # A value that goes into the SQL text (a prefix length): ASCII digits in range.
        if not re.fullmatch(r"\+?[0-9]{1,10}", text):
            return True
        return not low <= int(text) <= high
    if column in ("TABLE_SCHEMA", "TABLE_NAME") and payload in nulls:
        return fmt.kind == "index" or column == "TABLE_NAME"
    return False


# Cells that make a hostile expression count: a STATISTICS key part is an expression only
# when its COLUMN_NAME is NULL, a generation expression needs a generated column.
COMPANIONS = {"EXPRESSION": {"COLUMN_NAME": "NULL"},
              "GENERATION_EXPRESSION": {"GENERATED": "STORED", "EXTRA": "STORED GENERATED"}}


def _with_companions(fmt: Format, row: list[str], header: list[str], column: str) -> None:
    for name, value in COMPANIONS.get(column, {}).items():
        if name in header:
            row[header.index(name)] = "" if value == "NULL" and fmt.utf8_only else value


@st.composite
def cell_attack(draw, fmt: Format) -> Case:
    """One cell (or header name) of a valid CSV/TSV seed replaced by a hostile value."""
    rows = _rows(fmt)
    header = rows[0]
    r_no = draw(st.integers(0, len(rows) - 1) if draw(st.integers(0, 9)) == 0
                else st.integers(1, len(rows) - 1))
    c_no = draw(st.integers(0, len(header) - 1))
    column = header[c_no].strip().upper()
    if column in fmt.numbers and draw(st.booleans()):
        payload = draw(st.sampled_from(NUMBER_ATTACKS))
    else:
        payload = draw(st.sampled_from(ATTACKS) | st.text(max_size=12))
    if draw(st.integers(0, 20)) == 0:
        payload = payload + "x" * BIG
    raw = draw(st.booleans())
    original = list(rows[r_no])
    rows[r_no][c_no] = payload
    if r_no and draw(st.booleans()):
        _with_companions(fmt, rows[r_no], [h.strip().upper() for h in header], column)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig"] if fmt.utf8_only
                                    else ["utf-8", "utf-8-sig", "cp949"]))
    data = encode(_join(fmt, rows, (r_no, c_no) if raw else None), encoding)
    if draw(st.integers(0, 5)) == 0:
        data = data.replace(b"\n", b"\r\n")
    names = [h.strip().upper() for h in header]
    bad = _cell_verdict(fmt, column, payload, raw, r_no, original, names) or \
        not decodes(data, fmt)
    if r_no == 0 and column in fmt.required and payload.strip().upper() != column:
        bad = True  # a required column renamed is a required column missing
    return Case(fmt, data, f"row {r_no} {column} = {payload[:60]!r} "
                f"({'raw' if raw else 'quoted'}, {encoding})", bad)


def structural_cases(fmt: Format) -> list[Case]:
    """File-level attacks on a CSV/TSV format, each with its verdict."""
    rows = _rows(fmt)
    header = rows[0]
    text = _join(fmt, rows, None)
    d = fmt.delimiter
    overlong = text.encode().replace(b"\n", b"\n\xc0\xaf", 1)  # CP949 reads it as Hangul
    cases = [
        Case(fmt, b"", "empty file", True),
        Case(fmt, b"\xef\xbb\xbf", "a BOM only", True),
        Case(fmt, b" \n\n\t\n", "blank lines only", True),
        Case(fmt, encode(text.split("\n", 1)[0] + "\n", "utf-8"), "header only", True),
        Case(fmt, b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode(), "two BOMs"),
        Case(fmt, text.replace("\n", "\r\n").encode(), "CRLF"),
        Case(fmt, text.replace("\n", "\r").encode(), "CR only"),
        Case(fmt, text.encode("utf-16"), "UTF-16", True),
        Case(fmt, text.encode() + b"\xff\xfe\n", "invalid UTF-8 and CP949 at the end", True),
        Case(fmt, overlong, "overlong UTF-8", not decodes(overlong, fmt)),
        Case(fmt, text.encode()[: len(text) // 2], "truncated"),
        Case(fmt, text.encode() + b"x" * BIG, "a 2 MB last line", True),
        Case(fmt, text.encode() + b"\n" * 1000, "a thousand empty lines"),
        Case(fmt, (d.join(header + [f"C{i}" for i in range(1200)]) + "\n").encode()
             + text.split("\n", 1)[1].encode(), "1200 extra header columns", True),
        Case(fmt, text.replace("\n", "\x00\n", 1).encode(), "NUL in the header",
             header[-1].strip().upper() in fmt.used),
        Case(fmt, (text.rstrip("\n") + d + "\n").encode(), "a trailing delimiter", False),
        Case(fmt, "\n".join(r.split(d)[0] for r in text.splitlines()).encode(), "one column",
             True),
    ]
    if d == ",":
        cases.append(Case(fmt, text.encode() + b'"open quote,never,closed\n',
                          "unterminated quote at the end", True))
        cases.append(Case(fmt, text.encode().replace(b"\n", b'\n"', 1),
                          "unterminated quote in the first row", True))
    for column in fmt.required:
        if column in [h.strip().upper() for h in header]:
            at = [h.strip().upper() for h in header].index(column)
            cut = [r[:at] + r[at + 1:] for r in rows]
            cases.append(Case(fmt, _join(fmt, cut, None).encode(), f"no {column} column",
                              True))
    at = 1 if len(header) > 1 else 0
    dup = [r + [r[at]] for r in rows]
    dup[0][-1] = header[at]
    cases.append(Case(fmt, _join(fmt, dup, None).encode(), f"duplicate header {header[at]}"))
    dup2 = [r + ["other"] for r in rows]
    dup2[0][-1] = header[at]
    cases.append(Case(fmt, _join(fmt, dup2, None).encode(),
                      f"duplicate header {header[at]} with another value"))
    lower = [[h.lower() for h in header]] + rows[1:]
    cases.append(Case(fmt, _join(fmt, lower, None).encode(), "lower-case header"))
    return cases


# --- snapshots ------------------------------------------------------------------------------

_SNAPSHOT_TEXT_FIELDS = [("schema",), ("flavor",), ("version",), ("source",),
                         ("tables", 0, "name"), ("tables", 0, "engine"),
                         ("tables", 0, "auto_increment_column"),
                         ("tables", 0, "indexes", 0, "name"),
                         ("tables", 0, "indexes", 0, "comment"),
                         ("tables", 0, "indexes", 0, "index_type"),
                         ("tables", 0, "indexes", 0, "predicate"),
                         ("tables", 0, "indexes", 0, "parts", 0, "column"),
                         ("tables", 0, "indexes", 0, "parts", 0, "expression"),
                         ("tables", 0, "indexes", 0, "parts", 0, "collation"),
                         ("tables", 0, "indexes", 0, "parts", 0, "opclass"),
                         ("tables", 0, "indexes", 1, "parts", 0, "expression"),
                         ("warnings", 0)]
_SNAPSHOT_NUMBER_FIELDS = [("tables", 0, "size_bytes"),
                           ("tables", 0, "indexes", 0, "parts", 0, "sub_part"),
                           ("format_version",)]
NUMBER_JSON = ["1" + "0" * 40, "9" * 5000, "-1", "-99999999999999999999", "1e400", "-1e400",
               "NaN", "Infinity", "1.5", "0", "true", '"1"']


def _set(doc, path, value) -> None:
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


@st.composite
def snapshot_attack(draw, fmt: Format) -> Case:
    """A valid snapshot with one field hostile (its JSON text written as an attacker would)."""
    text = gzip.decompress(fmt.seed).decode() if fmt.suffix.endswith(".gz") else \
        fmt.seed.decode()
    doc = json.loads(text)
    doc["tables"][0]["indexes"][1]["parts"][0].setdefault("expression", None)
    doc["warnings"] = ["partial view"]  # printed on stderr by every command
    if draw(st.booleans()):
        path = draw(st.sampled_from(_SNAPSHOT_TEXT_FIELDS))
        payload = draw(st.sampled_from(SQL_ATTACKS + NAME_ATTACKS) | st.text(max_size=12))
        if draw(st.integers(0, 20)) == 0:
            payload += "x" * BIG
        _set(doc, path, payload)
        body = json.dumps(doc, ensure_ascii=draw(st.booleans()))
        bad = ("\x00" in payload or _has_surrogate(payload)) and path != ("source",)
        what = f"{'.'.join(map(str, path))} = {payload[:60]!r}"
    else:
        path = draw(st.sampled_from(_SNAPSHOT_NUMBER_FIELDS))
        literal = draw(st.sampled_from(NUMBER_JSON))
        _set(doc, path, "@@NUMBER@@")
        body = json.dumps(doc).replace('"@@NUMBER@@"', literal)
        bad = path == ("format_version",) or literal not in ("0", "1" + "0" * 40)
        if path[-1] == "sub_part" and literal == "0":
            bad = False
        what = f"{'.'.join(map(str, path))} = {literal[:40]}"
    data = body.encode("utf-8", "surrogatepass")
    if fmt.suffix.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    return Case(fmt, data, what, bad)


def gzip_bomb(head: bytes, padding: int) -> bytes:
    """gzip of ``head`` and ``padding`` spaces, compressed piece by piece (the padding is
    never in memory whole: the test process stays small)."""
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, compresslevel=9) as fh:
        fh.write(head)
        piece = b" " * (1 << 20)
        for _ in range(padding >> 20):
            fh.write(piece)
    return out.getvalue()


def deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


def snapshot_structural_cases(fmt: Format) -> list[Case]:
    """File-level attacks on a snapshot (plain or gzip)."""
    text = gzip.decompress(fmt.seed).decode() if fmt.suffix.endswith(".gz") else \
        fmt.seed.decode()
    doc = json.loads(text)
    gz = fmt.suffix.endswith(".gz")

    def wrap(data: bytes) -> bytes:
        return gzip.compress(data, mtime=0) if gz else data

    deep = dict(doc, warnings=json.loads(deep_json(200)))
    cases = [
        Case(fmt, wrap(b""), "empty", True),
        Case(fmt, wrap(b"\xef\xbb\xbf" + text.encode()), "BOM"),
        Case(fmt, wrap(text.encode("utf-16")), "UTF-16", True),
        Case(fmt, wrap(text.encode() + b"\xff"), "invalid UTF-8", True),
        Case(fmt, wrap(deep_json(100_000).encode()), "100,000 levels of nesting", True),
        Case(fmt, wrap(json.dumps(deep).encode()), "warnings nested 200 levels deep", True),
        Case(fmt, wrap(text.replace('"tables"', '"tables": [], "tables"', 1).encode()),
             "duplicate key"),
        Case(fmt, wrap(text.encode()[: len(text) // 2]), "truncated", True),
        Case(fmt, gzip_bomb(json.dumps(doc).encode(), 8 * DECOMPRESSED_LIMIT),
             "gzip bomb: 8 MiB from a few KB (limit 1 MiB)", True),
        Case(fmt, gzip.compress(text.encode(), mtime=0)[:-9], "truncated gzip", True),
        Case(fmt, gzip.compress(gzip.compress(text.encode(), mtime=0), mtime=0),
             "gzip inside gzip", True),
        Case(fmt, wrap(json.dumps(dict(doc, tables=[doc["tables"][0]] * 2)).encode()),
             "a table twice", True),
        Case(fmt, wrap(json.dumps(dict(doc, format_version=2)).encode()), "format 2", True),
        Case(fmt, wrap(b"[" + text.encode() + b"]"), "a list", True),
        Case(fmt, wrap(text.replace('"name": "users"', '"name": "\\u0000"', 1).encode()),
             "NUL escape in a table name", True),
        Case(fmt, wrap(text.replace('"name": "users"', '"name": "\\ud800"', 1).encode()),
             "lone surrogate escape in a table name", True),
    ]
    if gz:
        cases.append(Case(fmt, text.encode(), "not gzip data under a .gz name", True))
    return cases


# --- SQLite ---------------------------------------------------------------------------------

SQLITE_SEED = FORMATS["sqlite"].seed


@st.composite
def sqlite_attack(draw, fmt: Format) -> Case:
    """The bytes of a real small SQLite database, flipped, cut or overwritten."""
    data = bytearray(SQLITE_SEED)
    what = []
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "header", "truncate", "zero_page", "schema_text"]))
        if op == "flip":
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
        elif op == "header":
            at = draw(st.integers(16, 99))
            if at < len(data):  # an earlier cut may have taken the header too
                data[at] = draw(st.sampled_from([0, 1, 2, 0x7F, 0x80, 0xFF]))
        elif op == "truncate":
            at = draw(st.integers(0, len(data)))
            del data[at:]
        elif op == "zero_page":
            page = draw(st.integers(0, max(0, len(data) // 4096 - 1)))
            data[page * 4096:(page + 1) * 4096] = bytes(min(4096, len(data) - page * 4096))
        else:  # rewrite the CREATE INDEX text stored in sqlite_master, same length
            at = data.find(b"CREATE INDEX")
            if at >= 0:
                junk = draw(st.binary(min_size=1, max_size=12))
                offset = draw(st.integers(0, 60))
                data[at + offset:at + offset + len(junk)] = junk
        what.append(op)
        if not data:
            break
    return Case(fmt, bytes(data), "SQLite bytes: " + ", ".join(what))


HOSTILE_IDENTIFIERS = [a for a in SQL_ATTACKS + NAME_ATTACKS
                       if a and "\x00" not in a and not _has_surrogate(a)]


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@st.composite
def sqlite_hostile_db(draw, fmt: Format) -> Case:
    """A valid SQLite database whose table, index and column names or index expression
    are hostile (SQLite takes any name but NUL)."""
    table = draw(st.sampled_from(HOSTILE_IDENTIFIERS + ["t"]))
    index = draw(st.sampled_from(HOSTILE_IDENTIFIERS + ["ix"]))
    column = draw(st.sampled_from(HOSTILE_IDENTIFIERS + ["c"]))
    expression_text = draw(st.sampled_from([None, "'a''); DROP TABLE c1; --'", "x || '\n--'",
                                            "lower(x) /* ); DROP TABLE c1; -- */"]))
    part = f"({expression_text})" if expression_text else _quote_sqlite(column)
    where = draw(st.sampled_from(["", " WHERE x <> '); DROP TABLE c1; --'",
                                  " WHERE x > 0 -- \nAND x < 9"]))
    if column == "x":
        column = "c"
    sql = (f"CREATE TABLE {_quote_sqlite(table)}({_quote_sqlite(column)} TEXT, x TEXT);"
           f"CREATE INDEX {_quote_sqlite(index)} ON {_quote_sqlite(table)}({part}){where};")
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(sql)
    except sqlite3.Error:
        conn.close()
        return Case(fmt, SQLITE_SEED, "seed")
    data = conn.serialize()
    conn.close()
    return Case(fmt, data, f"SQLite with hostile names: {sql!r}")


# --- TOML, explain, plans -------------------------------------------------------------------

TOML_VALUES = ['"\\u0000"', '"\\ud800"', '"a\\nb"', "1" + "0" * 40, "9" * 5000, "-1", "nan",
               "inf", "[" * 80 + "]" * 80, "{ a = { b = { c = 1 } } }", '"' + "x" * 300 + '"',
               '"mysql://u:secret@h/db"', '"/dev/zero"', '"/etc/passwd"', '""', "true",
               '"\\u001b[2J"', '"""multi\nline"""', "'literal'", "1979-05-27T07:32:00Z"]
TOML_KEYS = ["baseline", "jobs", "connect_timeout", "read_timeout", "source", "schemas",
             "sources", "password_env", "columns", "tables", "indexes", "env", "table",
             "index", "kind", "reason", "expires", "defaults", "\\u0000", "a\\nb"]


@st.composite
def toml_attack(draw, fmt: Format) -> Case:
    """The seed config with one key set to a hostile value, or one line broken."""
    lines = fmt.seed.decode().splitlines()
    at = draw(st.integers(0, len(lines)))
    choice = draw(st.integers(0, 3))
    if choice == 0:
        key = draw(st.sampled_from(TOML_KEYS))
        key_text = f'"{key}"' if "\\" in key else key
        value = draw(st.sampled_from(TOML_VALUES))
        lines.insert(at, f"{key_text} = {value}")
        what = f"{key_text} = {value[:40]}"
    elif choice == 1:
        header = draw(st.sampled_from(["[envs.x]", "[[waivers]]", "[ignore]", "[envs]",
                                       '[envs."a\\nb"]', "[envs.x.y.z]", "[[envs]]"]))
        lines.insert(at, header)
        what = f"table {header}"
    elif choice == 2:
        lines.insert(at, draw(st.sampled_from(["a = " + "[" * 5000, "x = {", 'y = "open',
                                               "[[", "= 1", "a.b.c.d.e.f.g.h = 1"])))
        what = "broken line"
    else:
        lines.insert(at, "x = " + deep_json(draw(st.integers(60, 3000))))
        what = "deep array"
    text = "\n".join(lines) + "\n"
    return Case(fmt, text.encode("utf-8", "surrogatepass"), what)


@st.composite
def text_attack(draw, fmt: Format) -> Case:
    """An explain script or queries file with hostile text put in somewhere."""
    text = fmt.seed.decode()
    at = draw(st.integers(0, len(text)))
    payload = draw(st.sampled_from(ATTACKS + ["\x00", "\ud800", "'unterminated", "/* open",
                                               ";" * 50, "(" * 3000, "SELECT " * 200,
                                               "SELECT sleep(10);", "DELETE FROM t;",
                                               "SELECT 1 INTO OUTFILE '/tmp/x';"])
                   | st.text(max_size=20))
    data = (text[:at] + payload + text[at:]).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 10)) == 0:
        data = b"\xef\xbb\xbf" + data
    return Case(fmt, data, f"inserted at {at}: {payload[:60]!r}", _has_surrogate(payload))


def random_mutation(fmt: Format) -> st.SearchStrategy[Case]:
    """Byte-level noise on the seed (flips, inserts, deletes, cuts, line shuffles)."""
    @st.composite
    def build(draw) -> Case:
        data = bytearray(fmt.seed if not fmt.suffix.endswith(".gz")
                         else gzip.decompress(fmt.seed))
        for _ in range(draw(st.integers(1, 6))):
            if not data:
                break
            op = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "dupline",
                                       "dropline"]))
            at = draw(st.integers(0, len(data) - 1))
            if op == "flip":
                data[at] = draw(st.integers(0, 255))
            elif op == "insert":
                data[at:at] = draw(st.binary(min_size=1, max_size=8) | st.sampled_from(
                    [b",", b"\t", b'"', b"\n", b"\r", b"\\", b"NULL", b"\xef\xbb\xbf",
                     b"\x00", b"{", b"[", b"=", b"\xed\xa0\x80", b"\xe2\x80\xa8"]))
            elif op == "delete":
                del data[at:at + draw(st.integers(1, 16))]
            elif op == "truncate":
                del data[at:]
            else:
                lines = bytes(data).split(b"\n")
                i = draw(st.integers(0, len(lines) - 1))
                if op == "dupline":
                    lines.insert(i, lines[i])
                else:
                    del lines[i]
                data = bytearray(b"\n".join(lines))
        out = bytes(data)
        if fmt.suffix.endswith(".gz"):
            out = gzip.compress(out, mtime=0)
        return Case(fmt, out, "random mutation")
    return build()


_STRUCTURAL: dict[str, list[Case]] = {}


def _structural(fmt: Format) -> list[Case]:
    """The file-level cases of ``fmt``, built once (the gzip bomb alone is 8 MiB)."""
    if fmt.name not in _STRUCTURAL:
        _STRUCTURAL[fmt.name] = (structural_cases(fmt) if fmt.delimiter
                                 else snapshot_structural_cases(fmt))
    return _STRUCTURAL[fmt.name]


def hostile(fmt: Format) -> st.SearchStrategy[Case]:
    """Every attack that applies to ``fmt``."""
    options = [random_mutation(fmt)]
    if fmt.delimiter:
        options += [cell_attack(fmt), cell_attack(fmt), st.sampled_from(_structural(fmt))]
    elif fmt.kind == "index" and fmt.name.startswith("snapshot"):
        options += [snapshot_attack(fmt), snapshot_attack(fmt),
                    st.sampled_from(_structural(fmt))]
    elif fmt.name == "sqlite":
        options += [sqlite_attack(fmt), sqlite_hostile_db(fmt)]
    elif fmt.name == "config":
        options += [toml_attack(fmt), toml_attack(fmt)]
    else:
        options += [text_attack(fmt), text_attack(fmt)]
    return st.one_of(options)


# --- running a reader -----------------------------------------------------------------------

class Hang(BaseException):
    """An example ran too long (not an OSError like TimeoutError: nothing may catch it)."""


@contextlib.contextmanager
def time_limit(seconds: int = EXAMPLE_SECONDS) -> Iterator[None]:
    """Fail an example that hangs (an input that makes indexdrift spin is a defect)."""
    def expired(*_):
        raise Hang(f"took more than {seconds} s: a hang on hostile input")
    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@contextlib.contextmanager
def limits_env() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in LIMIT_ENV}
    os.environ.update(LIMIT_ENV)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def printable_line(text: str) -> bool:
    return all(ch.isprintable() or ch == "\t" for ch in text)


def verdict(read: Callable[[str], object], path: Path) -> IndexDriftError | None:
    """None when ``read`` accepts the file, else its error (anything else fails the test)."""
    with limits_env(), time_limit():
        try:
            read(str(path))
        except IndexDriftError as exc:
            message = str(exc)
            assert message.strip(), "an error without a message"
            assert "\n" not in message and "\r" not in message, \
                f"a multi-line error message: {message!r}"
            return exc
    return None


def check_reader(case: Case, tmp: Path) -> None:
    path = tmp / f"input{case.fmt.suffix}"
    path.write_bytes(case.data)
    if case.fmt.name == "config":
        path.write_bytes(case.data.replace(b"{PRD}", b"prd.csv").replace(b"{DEV}", b"dev.csv"))
    error = verdict(case.fmt.read, path)
    if case.must_fail:
        assert error is not None, f"{case.fmt.name}: {case.what}: accepted, must be refused"


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=FORMATS)
def test_every_reader_refuses_or_reads_each_attack(fmt, tmp_path):
    """Every payload in every column/field of every format, and every file-level attack:
    read, or refused with one line; the invalid ones always refused."""
    cases: list[Case] = []
    if fmt.delimiter:
        rows = _rows(fmt)
        header = [h.strip().upper() for h in rows[0]]
        used = [c for c in header if c in fmt.used]
        # Every payload once in a used column (round robin, as written and raw), and every
        # column once with each of the attacks that matter most.
        grid = [(used[i % len(used)], payload, bool(i % 2))
                for i, payload in enumerate(ATTACKS) for _ in (0, 1)]
        grid += [(column, payload, raw) for column in header
                 for payload in ("a\x00b", "\ud800", SQL_ATTACKS[0], "a\nb")
                 for raw in (False, True)]
        grid += [(column, payload, False) for column in fmt.numbers
                 for payload in NUMBER_ATTACKS]
        at = index_row(rows)
        for column, payload, raw in grid:
            c_no = header.index(column)
            changed = [list(r) for r in rows]
            changed[at][c_no] = payload
            data = encode(_join(fmt, changed, (at, c_no) if raw else None), "utf-8")
            bad = _cell_verdict(fmt, column, payload, raw, at, rows[at], header)
            cases.append(Case(fmt, data, f"{column} = {payload[:40]!r} ({'raw' if raw else 'q'})",
                              bad or not decodes(data, fmt)))
        cases += structural_cases(fmt)
    elif fmt.name.startswith("snapshot"):
        cases += snapshot_structural_cases(fmt)
    failures = []
    for case in cases:
        try:
            check_reader(case, tmp_path)
        except (AssertionError, Exception) as exc:  # collect all: one report per format
            failures.append(f"{case.what}: {type(exc).__name__}: {str(exc)[:300]}")
    assert not failures, f"{len(failures)} of {len(cases)} cases:\n" + "\n".join(failures[:60])


@pytest.mark.parametrize("fmt", FORMATS.values(), ids=FORMATS)
@fuzz_settings(60)
@given(data=st.data())
def test_every_reader_survives_fuzzed_hostile_input(fmt, data):
    case = data.draw(hostile(fmt))
    with tempfile.TemporaryDirectory() as tmp:
        check_reader(case, Path(tmp))


def test_a_gzip_bomb_is_refused_within_bounded_memory(tmp_path):
    """64 MiB of JSON padding in 64 KiB of gzip: refused at the 1 MiB limit, read in
    bounded pieces (peak well below what decompressing it whole would take)."""
    import tracemalloc
    base = json.loads(gzip.decompress(FORMATS["snapshot_gz"].seed))
    path = tmp_path / "bomb.json.gz"
    path.write_bytes(gzip_bomb(json.dumps(base).encode(), 64 << 20))
    tracemalloc.start()
    try:
        error = verdict(load_snapshot, path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error is not None and "INDEXDRIFT_LIMIT_DECOMPRESSED_BYTES" in str(error)
    assert peak < 16 << 20, f"peak {peak:,} bytes while refusing a 64 MiB bomb"


# --- the command line -----------------------------------------------------------------------

@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    escaped: BaseException | None = None  # what left cli.main (in-process runs only)
    trace: str = ""


def run_in_process(args: list[str], cwd: Path) -> Outcome:
    """``indexdrift ARGS`` through indexdrift.cli.main.main, noting what escaped the command."""
    escaped: list[BaseException] = []
    traces: list[str] = []
    group = cli_module.cli
    original = group.main

    def recording(*a, **k):
        try:
            return original(*a, **k)
        except SystemExit:
            raise
        except BaseException as exc:
            escaped.append(exc)
            traces.append(traceback.format_exc())
            raise

    runner = click.testing.CliRunner()
    old_argv, old_cwd = sys.argv, os.getcwd()
    code = 0
    with runner.isolation(env={**LIMIT_ENV, "COLUMNS": "200"}) as (out, err, _):
        sys.argv = ["indexdrift", *args]
        os.chdir(cwd)
        group.main = recording  # type: ignore[method-assign]
        try:
            with time_limit():
                cli_module.main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        except BaseException:  # noqa: BLE001 - a crash through main() is what we look for
            code = -1
            traces.append(traceback.format_exc())
        finally:
            del group.main
            sys.argv = old_argv
            os.chdir(old_cwd)
        sys.stdout.flush()
        sys.stderr.flush()
        stdout = out.getvalue().decode("utf-8", "replace")
        stderr = err.getvalue().decode("utf-8", "replace")
    return Outcome(code, stdout, stderr, escaped[0] if escaped else None, "\n".join(traces))


def run_subprocess(args: list[str], cwd: Path) -> Outcome:
    """``python -m indexdrift ARGS`` as a user runs it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("INDEXDRIFT_LIMIT")}
    env.update(LIMIT_ENV, LC_ALL="C.UTF-8", COLUMNS="200")
    env.pop("PYTHONIOENCODING", None)
    proc = subprocess.run([sys.executable, "-m", "indexdrift", *args], capture_output=True,
                          cwd=cwd, env=env, timeout=120, stdin=subprocess.DEVNULL)
    return Outcome(proc.returncode, proc.stdout.decode("utf-8", "replace"),
                   proc.stderr.decode("utf-8", "replace"))


@dataclass
class Scenario:
    """One command over one hostile input: its arguments and what it must do."""

    args: list[str]
    refused: IndexDriftError | None  # the reader's verdict on the hostile input
    outputs: list[str]  # files (relative to out/) that a successful run writes
    writes_dir: bool = False  # migrate --out: some files under out/
    codes_when_read: tuple[int, ...] = (0, 1)
    migration_dialect: str | None = None  # check the written SQL for injections
    layout: str = "plain"


def _index_flavor(path: Path) -> str | None:
    with contextlib.suppress(IndexDriftError):
        return open_source(str(path), "x").flavor
    return None


def build_scenario(case: Case, tmp: Path, command: str, variant: int) -> Scenario:
    """Write the case's files under ``tmp`` and the arguments of ``command`` over them."""
    fmt = case.fmt
    out = tmp / "out"
    out.mkdir()
    hostile_path = tmp / f"hostile{fmt.suffix}"
    hostile_path.write_bytes(case.data)
    if fmt.kind == "config":
        seed = tmp / "seed.csv"
        seed.write_bytes(FORMATS["stats_csv"].seed)
        dev = tmp / "dev.csv"
        dev.write_bytes((EXAMPLES / "indexes_dev.csv").read_bytes())
        hostile_path.write_bytes(case.data.replace(b"{PRD}", str(seed).encode())
                                 .replace(b"{DEV}", str(dev).encode()))
        refused = verdict(load_config, hostile_path)
        base = ["--config", str(hostile_path)]
        if command == "migrate":
            return Scenario(["migrate", *base, "--out", str(out / "m"), "--no-usage",
                             "--target", "mysql:8.0.36"], refused, [], writes_dir=True,
                            codes_when_read=(0, 1, 2), migration_dialect="mysql")
        if command == "compare":
            return Scenario(["compare", *base, "--no-usage", "-o", str(out / "r.json")],
                            refused, ["r.json"], codes_when_read=(0, 1, 2))
        return Scenario(["check", *base, "-o", str(out / "r.md")], refused, ["r.md"],
                        codes_when_read=(0, 1, 2))
    if fmt.kind == "explain":
        refused = verdict(fmt.read, hostile_path)
        dialect = ["auto", "mysql", "postgres"][variant % 3]
        return Scenario(["explain", "-f", str(hostile_path), "--dialect", dialect], refused, [])
    if fmt.kind == "queries":
        refused = verdict(fmt.read, hostile_path)
        # Nothing listens on port 1: a valid file gets as far as connecting, and fails there.
        return Scenario(["plans", "mysql://root@127.0.0.1:1/x", "--queries",
                         str(hostile_path)], refused, [], codes_when_read=(2,))
    seed_path = tmp / f"seed{fmt.suffix}"
    seed_path.write_bytes(fmt.seed)
    if fmt.kind == "columns":
        index_fmt = FORMATS["catalog_pg" if fmt.name == "pg_columns" else "stats_csv"]
        indexes = tmp / f"indexes{index_fmt.suffix}"
        indexes.write_bytes(index_fmt.seed)
        flavor = "postgresql" if fmt.name == "pg_columns" else "mysql"
        refused = verdict(lambda p: read_columns_file(p, "dev", flavor), hostile_path)
        hostile_is_baseline = variant % 2 == 1
        prd_cols, dev_cols = ((hostile_path, seed_path) if hostile_is_baseline
                              else (seed_path, hostile_path))
        common = [f"prd={indexes}", f"dev={indexes}", "--objects", "indexes,columns",
                  "--columns-from", f"prd={prd_cols}", "--columns-from", f"dev={dev_cols}",
                  "--no-usage"]
        if command == "migrate":
            return Scenario(["migrate", *common, "--out", str(out / "m"), "--drop-extra"],
                            refused, [], writes_dir=True, codes_when_read=(0, 1, 2),
                            migration_dialect="postgres" if flavor == "postgresql"
                            else "mysql")
        name = ["r.json", "r.md", "r.csv", "r.html"][variant % 4]
        return Scenario(["compare", *common, "-o", str(out / name)], refused, [name])
    # An index source: the hostile file as one env, the valid seed as the other.
    refused = verdict(lambda p: open_source(p, "dev", detail=True), hostile_path)
    hostile_is_baseline = variant % 2 == 1
    prd, dev = (hostile_path, seed_path) if hostile_is_baseline else (seed_path, hostile_path)
    envs = [f"prd={prd}", f"dev={dev}"]
    if command == "migrate":
        layout = ["plain", "flyway", "liquibase", "golang-migrate"][variant % 4]
        flavor = fmt_flavor = _index_flavor(seed_path)
        target = [] if fmt_flavor in ("postgresql", "sqlite") else ["--target", "mysql:8.0.36"]
        dialect = {"postgresql": "postgres", "sqlite": "sqlite"}.get(flavor or "", "mysql")
        return Scenario(["migrate", *envs, "--out", str(out / "m"), "--layout", layout,
                         "--version", "1", "--no-usage", "--drop-extra", *target,
                         *(["--explain"] if variant % 3 == 0 else [])],
                        refused, [], writes_dir=True, codes_when_read=(0, 1, 2),
                        migration_dialect=dialect, layout=layout)
    if command == "check":
        return Scenario(["check", *envs, "-o", str(out / "r.md"), "-o", str(out / "r.json")],
                        refused, ["r.md", "r.json"])
    if command == "lint":
        return Scenario(["lint", f"dev={hostile_path}", "--format",
                         ["text", "json"][variant % 2]], refused, [])
    if command == "snapshot":
        return Scenario(["snapshot", f"dev={hostile_path}", "-o", str(out / "s.json.gz")],
                        refused, ["s.json.gz"], codes_when_read=(0,))
    if command == "export":
        return Scenario(["export", f"dev={hostile_path}", "-o", str(out / "e.csv")],
                        refused, ["e.csv"], codes_when_read=(0,))
    name = ["r.json", "r.md", "r.csv", "r.html", "r.xlsx"][variant % 5]
    # A MySQL target only for MySQL-family envs: one of another family is refused (exit 2,
    # --allow-cross-flavor), as migrate's scenario avoids it too.
    mysql_family = _index_flavor(seed_path) not in ("postgresql", "sqlite")
    return Scenario(["compare", *envs, "--no-usage", "-o", str(out / name),
                     *(["--target", "mysql:8.0.36"] if variant % 3 == 0 and mysql_family
                       else [])],
                    refused, [name])


COMMANDS = {"index": ["compare", "check", "migrate", "lint", "snapshot", "export"],
            "columns": ["compare", "migrate"], "config": ["check", "compare", "migrate"],
            "explain": ["explain"], "queries": ["plans"]}


def files_under(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*") if p.is_file())


# Statement starts that indexdrift writes; a hostile value must never add one of its own.
_DIRECTIVE = re.compile(r"^--(?!\s)")
_OWN_DIRECTIVE = re.compile(r"^--(liquibase formatted sql$|changeset indexdrift:\S+( .*)?$|"
                            r"comment: |rollback( |$))")


def _executable_sql(text: str, layout: str) -> tuple[list[str], list[str]]:
    """The SQL a migration tool runs from ``text``, and any directive line it would obey
    that indexdrift did not write (Liquibase: ``--rollback`` lines are SQL too)."""
    if layout != "liquibase":
        return [text], []
    up, down, foreign = [], [], []
    for line in text.splitlines():
        if _DIRECTIVE.match(line):
            if not _OWN_DIRECTIVE.match(line):
                foreign.append(line)
            elif line.startswith("--rollback"):
                down.append(line[len("--rollback"):])
        else:
            up.append(line)
    return ["\n".join(up), "\n".join(down)], foreign


def check_migration_files(files: list[Path], dialect: str, layout: str) -> None:
    """No hostile text became SQL: no DROP TABLE token pair, no foreign directive, no psql
    meta-command, and every statement tokenizes (a broken quote would not)."""
    from sqlglot.dialects import Dialect
    from sqlglot.errors import TokenError
    from sqlglot.tokens import TokenType

    lexer = Dialect.get_or_raise(dialect)
    for path in files:
        if path.suffix != ".sql":
            continue
        text = path.read_text(encoding="utf-8")
        chunks, foreign = _executable_sql(text, layout)
        assert not foreign, f"{path.name}: a directive indexdrift did not write: {foreign}"
        for chunk in chunks:
            try:
                tokens = lexer.tokenize(chunk)
            except TokenError as exc:
                raise AssertionError(f"{path.name}: the SQL does not tokenize ({exc}), so a "
                                     f"quote is broken:\n{chunk[:2000]}") from None
            for a, b in zip(tokens, tokens[1:], strict=False):
                assert not (a.token_type == TokenType.DROP and b.token_type == TokenType.TABLE), \
                    f"{path.name}: hostile input became SQL (DROP TABLE):\n{chunk[:3000]}"
            if dialect == "postgres":
                quoted = [(t.start, t.end) for t in tokens
                          if t.token_type in (TokenType.STRING, TokenType.IDENTIFIER,
                                              TokenType.NATIONAL_STRING)]
                for match in re.finditer(r"(?m)^\s*\\", chunk):
                    at = match.end() - 1
                    assert any(s <= at <= e for s, e in quoted), \
                        f"{path.name}: a psql meta-command line:\n{chunk[:3000]}"


def check_outcome(outcome: Outcome, scenario: Scenario, out: Path, where: str) -> None:
    """The promises of issue 13 for one run."""
    context = (f"{where}: indexdrift {' '.join(scenario.args)[:400]}\nexit {outcome.code}\n"
               f"stderr: {outcome.stderr[-3000:]}\nstdout: {outcome.stdout[-1500:]}\n"
               f"{outcome.trace[-4000:]}")
    both = outcome.stdout + outcome.stderr
    assert "Traceback" not in both and outcome.code != -1, "a traceback\n" + context
    if outcome.escaped is not None and not isinstance(
            outcome.escaped, IndexDriftError | click.ClickException | click.exceptions.Abort
            | OSError):
        raise AssertionError(f"{type(outcome.escaped).__name__} escaped the command (main() "
                             f"may hide it, but it is a bug)\n" + context)
    stderr_lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    for line in stderr_lines:
        assert printable_line(line), f"a control character on stderr: {line!r}\n" + context
    leftovers = [p for p in files_under(out) if p.name.endswith(".tmp")]
    assert not leftovers, f"temporary files left: {leftovers}\n" + context
    if scenario.refused is not None:
        assert outcome.code == 2, f"refused by the reader ({scenario.refused}) but exit " \
                                  f"{outcome.code}\n" + context
    else:
        assert outcome.code in scenario.codes_when_read, "read fine, but exit " \
                                                         f"{outcome.code}\n" + context
    if outcome.code == 2:
        written = files_under(out)
        assert not written, f"exit 2 but files were written: {written}\n" + context
        errors = [line for line in stderr_lines if not line.startswith("warning: ")]
        if errors and errors[-1].startswith("Error: "):  # click's usage error: its usage
            errors = [line for line in errors  # lines, then one clear Error: line
                      if not line.startswith(("Usage: ", "Try '"))]
        assert errors, "exit 2 without an error message\n" + context
        assert len(errors) == 1 and re.match(r"(error|Error): \S", errors[0]), \
            "exit 2: the error is not one 'error: ...' line\n" + context
        assert "wrote " not in outcome.stderr, "exit 2 after writing\n" + context
    elif outcome.code in (0, 1):
        for name in scenario.outputs:
            assert (out / name).is_file(), f"exit {outcome.code} without {name}\n" + context
        if scenario.writes_dir:
            written = files_under(out)
            if scenario.migration_dialect and written:
                check_migration_files(written, scenario.migration_dialect, scenario.layout)


def cli_case(case: Case, command_pick: int, variant: int, runner) -> None:
    commands = COMMANDS[case.fmt.kind]
    command = commands[command_pick % len(commands)]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        scenario = build_scenario(case, tmp, command, variant)
        if case.must_fail:
            assert scenario.refused is not None, f"{case.what}: accepted, must be refused"
        outcome = runner(scenario.args, tmp)
        check_outcome(outcome, scenario, tmp / "out", runner.__name__)


ALL_FORMATS = list(FORMATS.values())


@fuzz_settings(150)
@given(fmt=st.sampled_from(ALL_FORMATS), data=st.data(), command_pick=st.integers(0, 5),
       variant=st.integers(0, 59))
def test_the_command_line_in_process_on_hostile_input(fmt, data, command_pick, variant):
    """Every command over every format, through indexdrift.cli.main.main in this process."""
    cli_case(data.draw(hostile(fmt)), command_pick, variant, run_in_process)


@settings(max_examples=(LONG_RUN // 10) or 24, deadline=None, derandomize=not LONG_RUN,
          database=None, phases=PHASES, suppress_health_check=list(HealthCheck))
@given(fmt=st.sampled_from(ALL_FORMATS), data=st.data(), command_pick=st.integers(0, 5),
       variant=st.integers(0, 59))
def test_the_command_line_as_a_subprocess_on_hostile_input(fmt, data, command_pick, variant):
    """The same as ``python -m indexdrift``: the real streams, encodings and exit path."""
    cli_case(data.draw(hostile(fmt)), command_pick, variant, run_subprocess)


SUBPROCESS_CASES = [
    ("stats_csv", "NUL in an index name", "INDEX_NAME", "a\x00b"),
    ("stats_tsv", "lone surrogate in a table name", "TABLE_NAME", "\ud800"),
    ("stats_csv", "terminal escape in a column name", "COLUMN_NAME", "\x1b[2Jx"),
    ("stats_csv", "SUB_PART 10^40", "SUB_PART", "1" + "0" * 40),
    ("stats_tsv", "SQL in an expression", "EXPRESSION", "true); DROP TABLE c1; --"),
    ("catalog_pg", "SQL in a predicate", "PREDICATE", "true); DROP TABLE c1; --"),
    ("catalog_pg", "SQL in a PostgreSQL expression", "EXPRESSION", "x)); DROP TABLE c1; --"),
    ("pg_columns", "SQL in a generation expression", "GENERATION_EXPRESSION",
     "1)); DROP TABLE c1; --"),
    ("stats_csv", "a line break and SQL in an index name", "INDEX_NAME",
     "a\nDROP TABLE c1; -- "),
    ("stats_csv", "a line break and SQL in a comment", "INDEX_COMMENT",
     "a\nDROP TABLE c1; -- "),
    ("columns_tsv", "SQL in a column type", "COLUMN_TYPE", "int); DROP TABLE c1; --"),
    ("pg_columns", "SQL in a default", "COLUMN_DEFAULT", "1); DROP TABLE c1; --"),
    ("stats_csv", "a 2 MB comment", "INDEX_COMMENT", "x" * BIG),
]


@pytest.mark.parametrize("name, what, column, payload", SUBPROCESS_CASES,
                         ids=[c[1] for c in SUBPROCESS_CASES])
def test_named_attacks_through_the_real_command_line(name, what, column, payload):
    """The attacks of the issue, each once through ``python -m indexdrift migrate``."""
    fmt = FORMATS[name]
    rows = _rows(fmt)
    header = [h.upper() for h in rows[0]]
    at = index_row(rows)
    rows[at][header.index(column)] = payload
    _with_companions(fmt, rows[at], header, column)
    data = encode(_join(fmt, rows, None), "utf-8")
    case = Case(fmt, data, what,
                _cell_verdict(fmt, column, payload, False, at) or not decodes(data, fmt))
    cli_case(case, COMMANDS[fmt.kind].index("migrate"), 1, run_subprocess)

