"""The catalog CSV reader's cached checks read exactly what the reader did before them.

Random PostgreSQL and SQLite catalog CSVs — expressions, INCLUDE parts, predicates, NULLS
orders, operator classes, EXCLUDE operators, storage, dependents, comments with line
breaks, quotes and Korean, tables without indexes, older files without the optional
columns, several schemas read with ``path#schema``, rows in order or scattered — are read
by ``read_catalog_csv`` and by the reader as it was (tests/catalog_csv_oracle.py): the
same snapshot (``snapshot_json``, table and index order, dependents) or the same error
(file, line, column and text). Then the same with bad cells put into random rows, and
with a share over two envs (the same tables one object, the same ones).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from catalog_csv_oracle import read_catalog_csv as oracle_read
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from indexdrift.core.errors import IndexDriftError, InputError
from indexdrift.model.tables import Index, KeyPart, Snapshot, Table
from indexdrift.sources.catalog_csv import COLUMNS as CATALOG
from indexdrift.sources.catalog_csv import OPTIONAL, export_catalog_csv, read_catalog_csv
from indexdrift.sources.snapshot import snapshot_json
from indexdrift.sources.tableshare import TableShare

WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
TABLES = ("users", "orders", "Orders", "이름표", "a,b", 'q"t', "t\nx")
INDEXES = ("PRIMARY", "users_pkey", "idx_a", "Idx_A", "uq_code", "ex_range", "메모_idx")
COLUMNS = ("id", "tenant_id", "Email", "created_at", "이름", "x,y")
EXPRESSIONS = ("lower(email)", "(a + b)", "coalesce(note, 'a,b')", "(\"Email\" || '\n')")
COMMENTS = ("", "", "메모", 'say "hi"', "line 1\nline 2", "it's, odd", "tab\there")
PREDICATES = (None, None, "deleted_at IS NULL", "note <> ''", "(a > 0) AND (b < '\"')")
STORAGE = ((), (), (("fillfactor", "70"),), (("deduplicate_items", "off"), ("fillfactor", "90")))
# Cells a bad or odd row may hold: junk, values another column takes, near misses.
CELLS = ("", " ", "maybe", "0", "1", "2", "33", "2001", "-1", "1.5", "٣", " 2 ", "yes", "T",
         "NO", "key", "include", " KEY ", "part", "lower(", "a); DROP TABLE t; --", "=", "&&",
         "--", "OPERATOR(pg_catalog.=)", "FIRST", "last", "sideways", "p", "u", "x", "q",
         "IMMEDIATE", "deferred", "later", "btree", "1bad", "gist", "x" * 300, "users",
         "idx_a", "postgresql", "SQLite", "mysql", "16.1", "15.4.2.1", "v15", "shop",
         "other", "text_pattern_ops", "bad name!", '"C"', "fillfactor=70", "a\nb")


@st.composite
def parts(draw, flavor):
    """One key part of a ``flavor`` index."""
    expression = draw(st.sampled_from(EXPRESSIONS)) if draw(st.integers(0, 3)) == 0 else None
    return KeyPart(
        column=None if expression else draw(st.sampled_from(COLUMNS)),
        expression=expression,
        descending=draw(st.booleans()),
        opclass=draw(st.sampled_from((None, None, "text_pattern_ops", "public.my_ops"))),
        collation=draw(st.sampled_from((None, None, '"C"', "pg_catalog.default"))),
        nulls_first=draw(st.sampled_from((None, None, True, False))),
        operator=draw(st.sampled_from((None, None, None, "=", "&&"))),
        exact_column=flavor == "postgresql")


@st.composite
def indexes(draw, table, flavor):
    """One index of ``table``."""
    return Index(
        table=table, name=draw(st.sampled_from(INDEXES)),
        parts=tuple(draw(st.lists(parts(flavor), min_size=1, max_size=3))),
        unique=draw(st.booleans()), primary=draw(st.booleans()),
        index_type=draw(st.sampled_from(("BTREE", "BTREE", "GIST", "HASH", "GIN"))),
        comment=draw(st.sampled_from(COMMENTS)),
        include=tuple(draw(st.lists(st.sampled_from(COLUMNS), max_size=2, unique=True))),
        predicate=draw(st.sampled_from(PREDICATES)),
        nulls_not_distinct=draw(st.booleans()),
        constraint=draw(st.sampled_from((None, None, "p", "u", "x"))),
        deferrable=draw(st.sampled_from((None, None, "IMMEDIATE", "DEFERRED"))),
        valid=draw(st.booleans()), storage=draw(st.sampled_from(STORAGE)),
        exact_name=flavor == "postgresql")


@st.composite
def snapshots(draw, schema):
    """A PostgreSQL or SQLite snapshot of a few tables, some without indexes."""
    flavor = draw(st.sampled_from(("postgresql", "sqlite")))
    snapshot = Snapshot(source="gen", schema=schema, flavor=flavor,
                        version=draw(st.sampled_from(("15.4", "", "3.45.1", "16"))))
    for name in draw(st.lists(st.sampled_from(TABLES), max_size=5, unique=True)):
        table = snapshot.tables[name] = Table(name)
        for index in draw(st.lists(indexes(name, flavor), max_size=4)):
            if index.name_key not in table.indexes:
                table.add(index)
                if draw(st.integers(0, 3)) == 0:
                    table.referenced_by[index.name_key] = tuple(draw(st.lists(
                        st.sampled_from(("fk_a", "fk_b", "fk_이름")), min_size=1, max_size=2,
                        unique=True)))
    return snapshot


@st.composite
def files(draw):
    """The rows (header first) of a catalog CSV, and the spec suffix to read it with."""
    first = draw(snapshots("shop"))
    rows = _rows(export_catalog_csv(first))
    suffix = ""
    if draw(st.booleans()):  # a second schema in the same file
        rows += _rows(export_catalog_csv(draw(snapshots("other"))))[1:]
        suffix = draw(st.sampled_from(("", "#shop", "#shop", "#other", "#other", "#missing")))
    elif draw(st.integers(0, 3)) == 0:
        suffix = draw(st.sampled_from(("#shop", "#shop", "#missing")))
    dropped = draw(st.lists(st.sampled_from(OPTIONAL), unique=True)) \
        if draw(st.integers(0, 2)) == 0 else []
    keep = [i for i, name in enumerate(rows[0]) if name not in dropped]
    rows = [[row[i] for i in keep] for row in rows]
    body = rows[1:]
    if body and draw(st.integers(0, 3)) == 0:  # rows of another flavor (or spelling)
        for at in draw(st.lists(st.integers(0, len(body) - 1), max_size=3)):
            if body[at]:
                body[at][0] = draw(st.sampled_from(("sqlite", " PostgreSQL", "SQLite")))
    if draw(st.booleans()):
        draw(st.randoms(use_true_random=False)).shuffle(body)
    if body and draw(st.integers(0, 4)) == 0:
        body.insert(draw(st.integers(0, len(body))), [])  # a blank line
    return [rows[0], *body], suffix


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _write(path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _outcome(read, spec: str, share: TableShare | None = None):
    """What ``read`` makes of ``spec``: the snapshot as every report sees it (and the
    order of its tables, indexes and dependents), or the error with its place."""
    try:
        snapshot = read(spec, share=share)
    except IndexDriftError as exc:
        place = (exc.path, exc.line, exc.column) if isinstance(exc, InputError) else None
        return "error", type(exc).__name__, str(exc), place
    order = [(name, list(table.indexes), list(table.referenced_by.items()),
              [(i.name, i.parts, i.include, i.storage, i.exact_name)
               for i in table.indexes.values()])
             for name, table in snapshot.tables.items()]
    return "read", snapshot_json(snapshot, WHEN), order


def _read_as_before(tmp_path, rows: list[list[str]], suffix: str) -> None:
    """Write ``rows`` as a file and read it (``suffix``: ``#schema`` or nothing) with the
    reader and with the oracle: the same snapshot, or the same error."""
    path = tmp_path / "catalog.csv"
    _write(path, rows)
    spec = str(path) + suffix
    found = _outcome(read_catalog_csv, spec)
    event(found[0] if found[0] == "read" else f"{found[1]} at {found[3] and found[3][2]}")
    assert found == _outcome(oracle_read, spec)


SETTINGS = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(files())
def test_valid_files_read_as_before(tmp_path, file):
    rows, suffix = file
    _read_as_before(tmp_path, rows, suffix)


# Where the bad cells go: anywhere, only into the cells of indexes and their parts (most
# files then get as far as the checks of those), or only into the positions and kinds of
# parts (the checks of an index's parts as a whole).
CONTEXT = ("FLAVOR", "SERVER_VERSION", "TABLE_SCHEMA", "TABLE_NAME")
POSITIONS = ("1", "2", "3", "4", "5", "key", "include")


@settings(SETTINGS, max_examples=1000)
@given(files(),
       st.lists(st.tuples(st.integers(0), st.lists(st.tuples(st.sampled_from(CATALOG),
                                                             st.integers(0, 1000)),
                                                   min_size=1, max_size=4)),
                min_size=1, max_size=3),
       st.sampled_from(("any", "index", "index", "positions")),
       st.sampled_from((None, None, None, None, None, None, "short", "long")))
def test_bad_cells_are_refused_as_before(tmp_path, file, changes, where, width):
    rows, suffix = file
    if len(rows) < 2:
        rows = [*rows, ["postgresql", "15", "shop", "t", "i", "btree", *[""] * 19]]
    columns = {name: i for i, name in enumerate(rows[0])
               if where == "any" or (where == "index" and name not in CONTEXT)
               or name in ("SEQ", "PART_KIND")}
    pool = POSITIONS if where == "positions" else CELLS
    for row_at, cells in changes:  # several cells of one row: the order of its checks
        row = rows[1 + row_at % (len(rows) - 1)]
        for column, value in cells:
            if row and column in columns:
                row[columns[column]] = pool[value % len(pool)]
    if width is not None:
        row = rows[1 + changes[0][0] % (len(rows) - 1)]
        if width == "short" and row:
            row.pop()
        else:
            row.append("")
    _read_as_before(tmp_path, rows, suffix)


@SETTINGS
@given(files(), st.lists(st.tuples(st.integers(0), st.integers(0), st.sampled_from(CELLS)),
                         max_size=2))
def test_a_share_is_used_as_before(tmp_path, file, changes):
    rows, suffix = file
    paths = []
    for env in ("prd", "dev"):
        path = tmp_path / f"{env}.csv"
        _write(path, rows)
        paths.append(str(path) + suffix)
        for row_at, column_at, value in changes:  # dev: some cells changed
            if len(rows) > 1 and rows[1 + row_at % (len(rows) - 1)]:
                row = rows[1 + row_at % (len(rows) - 1)]
                row[column_at % len(row)] = value
    found = []
    for read in (read_catalog_csv, oracle_read):
        share = TableShare()
        outcomes = [_outcome(read, spec, share) for spec in paths]
        try:
            a, b = (read(spec, share=share) for spec in paths)
            same = [name for name, table in b.tables.items() if a.tables.get(name) is table]
        except IndexDriftError:
            same = None
        found.append((outcomes, same, len(share)))
    assert found[0] == found[1]


# A bad value for each column (and for SEQ one out of range, PART_KIND the other kind).
BAD = {"FLAVOR": "mysql", "SERVER_VERSION": "v15", "TABLE_SCHEMA": "other", "TABLE_NAME": "",
       "INDEX_NAME": "", "ACCESS_METHOD": "1bad", "IS_UNIQUE": "maybe", "IS_PRIMARY": "maybe",
       "CONSTRAINT_TYPE": "q", "DEFERRABLE": "later", "NULLS_NOT_DISTINCT": "maybe",
       "IS_VALID": "maybe", "PREDICATE": "a); DROP TABLE t; --", "INDEX_COMMENT": "x" * 300,
       "STORAGE": "=", "PART_KIND": "include", "SEQ": "2001", "COLUMN_NAME": "",
       "EXPRESSION": "lower(", "OPCLASS": "bad name!", "COLLATION": "bad name!",
       "DESCENDING": "maybe", "NULLS_ORDER": "sideways", "EXCLUDE_OPERATOR": "maybe",
       "REFERENCED_BY": "a\nb"}


def test_each_pair_of_bad_cells_in_a_row_is_refused_as_before(tmp_path):
    """Every pair of bad cells in a key part's first row, a later key row and an INCLUDE
    row: the check that comes first in the row wins, as it did."""
    table = Table("t")
    table.add(Index(table="t", name="ix", parts=(KeyPart("a"), KeyPart("b")),
                    include=("c",), exact_name=True))
    snapshot = Snapshot(source="gen", schema="shop", flavor="postgresql", version="15",
                        tables={"t": table})
    rows = _rows(export_catalog_csv(snapshot))
    header = rows[0]
    path = tmp_path / "catalog.csv"
    for at in (1, 2, 3):
        for first in BAD:
            for second in BAD:
                changed = [list(row) for row in rows]
                changed[at][header.index(first)] = BAD[first]
                changed[at][header.index(second)] = BAD[second]
                _write(path, changed)
                assert _outcome(read_catalog_csv, str(path)) == \
                    _outcome(oracle_read, str(path)), (at, first, second)
