"""The catalog CSV: ``export`` of a PostgreSQL (or SQLite) env, read back by ``compare``.

MySQL exports keep the ``information_schema.STATISTICS`` shape; PostgreSQL and SQLite
indexes have fields that shape cannot hold (INCLUDE columns, predicates, operator
classes, constraint ownership, validity), so they get this format. One row per key part
or INCLUDE column, UTF-8, comma separated, a header row; an empty cell means "none".
The columns (docs/postgresql.md describes each):

FLAVOR, SERVER_VERSION, TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, ACCESS_METHOD, IS_UNIQUE,
IS_PRIMARY, CONSTRAINT_TYPE, DEFERRABLE, NULLS_NOT_DISTINCT, IS_VALID, PREDICATE, INDEX_COMMENT,
STORAGE, PART_KIND, SEQ, COLUMN_NAME, EXPRESSION, OPCLASS, COLLATION, DESCENDING, NULLS_ORDER,
EXCLUDE_OPERATOR, REFERENCED_BY

A table without indexes has one row with an empty INDEX_NAME. DEFERRABLE, STORAGE and the
last two columns came later: files without them still read (no deferrable constraints, no EXCLUDE
operators; without REFERENCED_BY the foreign-key dependents are unknown, so the snapshot
has no ``has_details``; without STORAGE the indexes' storage parameters are unknown and not
compared). STORAGE holds ``name=value`` pairs separated by ``, `` (``fillfactor=70``).
"""

from __future__ import annotations

import csv
import io
import re
from operator import itemgetter
from pathlib import Path
from typing import NoReturn

from indexdrift.core.errors import InputError, NoTablesInput
from indexdrift.core.gcpause import gc_paused
from indexdrift.core.i18n import Message
from indexdrift.core.limits import excerpt
from indexdrift.core.target import VERSION_TEXT
from indexdrift.model.tables import (
    Index,
    KeyPart,
    Snapshot,
    Table,
    names_case_sensitive,
    parse_storage,
    storage_text,
)
from indexdrift.sources.csvscan import utf8_rows
from indexdrift.sources.csvtext import (
    no_rows,
    schema_not_found,
    several_schemas,
    whole_number,
)
from indexdrift.sources.sniff import is_catalog_csv as is_catalog_csv  # its sniffer, apart
from indexdrift.sources.sqlcells import (
    POSTGRES,
    SQLITE,
    expression_problem,
    name_problem,
    operator_problem,
)
from indexdrift.sources.tableshare import TableShare

COLUMNS = ("FLAVOR", "SERVER_VERSION", "TABLE_SCHEMA", "TABLE_NAME", "INDEX_NAME",
           "ACCESS_METHOD", "IS_UNIQUE", "IS_PRIMARY", "CONSTRAINT_TYPE", "DEFERRABLE",
           "NULLS_NOT_DISTINCT",
           "IS_VALID", "PREDICATE", "INDEX_COMMENT", "STORAGE", "PART_KIND", "SEQ",
           "COLUMN_NAME", "EXPRESSION", "OPCLASS", "COLLATION", "DESCENDING", "NULLS_ORDER",
           "EXCLUDE_OPERATOR", "REFERENCED_BY")
# Columns added after the first version of the format: optional when reading.
OPTIONAL = ("DEFERRABLE", "STORAGE", "EXCLUDE_OPERATOR", "REFERENCED_BY")
FLAVORS = ("postgresql", "sqlite")
# How the SQL cells of each flavor are read, and the most parts (key and INCLUDE) an index
# can have there: PostgreSQL's INDEX_MAX_KEYS, SQLite's SQLITE_MAX_COLUMN.
DIALECTS = {"postgresql": POSTGRES, "sqlite": SQLITE}
MAX_PARTS = {"postgresql": 32, "sqlite": 2000}
_METHOD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _yes(value: str) -> str:
    return "YES" if value else "NO"


def export_catalog_csv(snapshot: Snapshot) -> str:
    """The snapshot as catalog CSV, sorted by table, index, part."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    head = [snapshot.flavor or "", snapshot.version or "", snapshot.schema or ""]
    for table_name in sorted(snapshot.tables):
        table = snapshot.tables[table_name]
        if not table.indexes:
            writer.writerow([*head, table_name] + [""] * (len(COLUMNS) - 4))
        for index in sorted(table.indexes.values(), key=lambda i: i.name):
            common = [*head, table_name, index.name, index.index_type.lower(),
                      _yes(index.unique), _yes(index.primary), index.constraint or "",
                      index.deferrable or "", _yes(index.nulls_not_distinct), _yes(index.valid),
                      index.predicate or "", index.comment, storage_text(index.storage)]
            # One dependent foreign key per line (names hold no line breaks in practice).
            dependents = "\n".join(table.referenced_by.get(index.name_key, ()))
            for seq, part in enumerate(index.parts, start=1):
                nulls = "" if part.nulls_first is None else (
                    "FIRST" if part.nulls_first else "LAST")
                writer.writerow([*common, "key", seq, part.column or "", part.expression or "",
                                 part.opclass or "", part.collation or "",
                                 _yes(part.descending), nulls, part.operator or "",
                                 dependents])
            for seq, column in enumerate(index.include, start=len(index.parts) + 1):
                writer.writerow([*common, "include", seq, column, "", "", "", "", "", "",
                                 dependents])
    return out.getvalue()


class _Rows:
    """Row access with errors located by file, line and column."""

    def __init__(self, shown: str) -> None:
        self.shown = shown

    def fail(self, line: int, column: str, message: str) -> NoReturn:
        raise InputError(self.shown, message, line, column)

    def flag(self, row: dict[str, str], line: int, column: str) -> bool:
        value = row[column].strip().upper()
        if value in ("YES", "TRUE", "1", "T"):
            return True
        if value in ("NO", "FALSE", "0", "F", ""):
            return False
        self.fail(line, column, f"{excerpt(row[column])} is not YES or NO")

    def sql(self, row: dict[str, str], line: int, column: str, flavor: str) -> str | None:
        """The cell as one SQL expression of the flavor (None when empty)."""
        value = row[column]
        if not value:
            return None
        problem = expression_problem(value, DIALECTS[flavor])
        if problem is not None:
            self.fail(line, column, f"{excerpt(value)} {problem}")
        return value

    def name(self, row: dict[str, str], line: int, column: str) -> str | None:
        """The cell as a name written bare into SQL (None when empty)."""
        value = row.get(column, "")
        if not value:
            return None
        problem = name_problem(value)
        if problem is not None:
            self.fail(line, column, f"{excerpt(value)} {problem}")
        return value

    def head(self, row: dict[str, str], line: int, flavor: str) -> tuple:
        """What an index's first row says of the whole index, checked: (access method,
        unique, primary, constraint, deferrable, nulls not distinct, valid, predicate,
        comment, referenced by, storage)."""
        constraint = row["CONSTRAINT_TYPE"].strip().lower() or None
        if constraint not in (None, "p", "u", "x"):
            self.fail(line, "CONSTRAINT_TYPE", f"{excerpt(constraint)} is not p, u, x or empty")
        deferrable = row.get("DEFERRABLE", "").strip().upper() or None
        if deferrable not in (None, "IMMEDIATE", "DEFERRED"):
            self.fail(line, "DEFERRABLE",
                      f"{excerpt(deferrable)} is not IMMEDIATE, DEFERRED or empty")
        method = row["ACCESS_METHOD"].strip()
        if not method:
            self.fail(line, "ACCESS_METHOD", "a value is required here")
        if not _METHOD.fullmatch(method):
            self.fail(line, "ACCESS_METHOD", f"{excerpt(method)} is not an access method "
                      "name (letters, digits, _)")
        return (
            method.upper(), self.flag(row, line, "IS_UNIQUE"),
            self.flag(row, line, "IS_PRIMARY"), constraint, deferrable,
            self.flag(row, line, "NULLS_NOT_DISTINCT"),
            self.flag(row, line, "IS_VALID") if row["IS_VALID"].strip() else True,
            self.sql(row, line, "PREDICATE", flavor), row["INDEX_COMMENT"],
            tuple(d for d in row.get("REFERENCED_BY", "").split("\n") if d),
            # An older file without the column: unknown (None), never compared.
            (parse_storage(row["STORAGE"].replace("\n", ",").split(","))
             if "STORAGE" in row else None),
        )

    def part(self, row: dict[str, str], line: int, flavor: str) -> tuple[int, bool, object]:
        """A key part or INCLUDE row, checked: (position, True for a key part, the KeyPart
        or the INCLUDE column)."""
        try:
            seq = whole_number(row["SEQ"])
        except ValueError:
            self.fail(line, "SEQ", f"{excerpt(row['SEQ'])} is not a whole number")
        if not 1 <= seq <= MAX_PARTS[flavor]:
            self.fail(line, "SEQ", f"{excerpt(seq)} is not a part position (1 to "
                      f"{MAX_PARTS[flavor]}: the most parts a {flavor} index can have)")
        kind = row["PART_KIND"].strip().lower()
        if kind == "key":
            if not row["COLUMN_NAME"] and not row["EXPRESSION"]:
                self.fail(line, "COLUMN_NAME", "a key part needs a column or an expression")
            nulls = row["NULLS_ORDER"].strip().upper()
            if nulls not in ("", "FIRST", "LAST"):
                self.fail(line, "NULLS_ORDER",
                          f"{excerpt(row['NULLS_ORDER'])} is not FIRST or LAST")
            operator = row.get("EXCLUDE_OPERATOR", "").strip() or None
            if operator is not None and operator_problem(operator) is not None:
                self.fail(line, "EXCLUDE_OPERATOR",
                          f"{excerpt(operator)} {operator_problem(operator)}")
            expression = self.sql(row, line, "EXPRESSION", flavor)
            return seq, True, KeyPart(
                column=row["COLUMN_NAME"] or None if not expression else None,
                expression=expression, descending=self.flag(row, line, "DESCENDING"),
                opclass=self.name(row, line, "OPCLASS"),
                collation=self.name(row, line, "COLLATION"),
                nulls_first=None if not nulls else nulls == "FIRST", operator=operator,
                exact_column=names_case_sensitive(flavor))
        if kind == "include":
            if not row["COLUMN_NAME"]:
                self.fail(line, "COLUMN_NAME", "an INCLUDE part needs a column")
            return seq, False, row["COLUMN_NAME"]
        self.fail(line, "PART_KIND", f"{excerpt(row['PART_KIND'])} is not key or include")


class _Index:
    """One index while its rows are read: its first line, table, name, head (``_Rows.head``)
    and its key and INCLUDE parts by position."""

    __slots__ = ("line", "table", "name", "head", "parts", "include")

    def __init__(self, line: int, table: str, name: str, head: tuple) -> None:
        self.line = line
        self.table = table
        self.name = name
        self.head = head
        self.parts: dict[int, KeyPart] = {}
        self.include: dict[int, str] = {}


def read_catalog_csv(spec: str, *, display: str | None = None,
                     share: TableShare | None = None) -> Snapshot:
    """Read a catalog CSV (``path`` or ``path#schema``) into a Snapshot.

    ``share``: the run's tables by their cells (sources/tableshare.py). Every row is read
    and checked as without it; a table whose rows' cells (but the schema and server
    version) an earlier env of the run had, in a file of the same header and flavor, is
    that env's table object instead of an equal one built again.
    """
    # Like every reader of a large schema: no collector walks while it builds (a third
    # of this reader's time on 40,000 indexes).
    with gc_paused():
        return _read_catalog_csv(spec, display, share)


def _read_catalog_csv(spec: str, display: str | None, share: TableShare | None) -> Snapshot:
    path_text, sep, wanted = spec.partition("#")
    shown = display or path_text
    rows = _Rows(shown)
    lines = utf8_rows(Path(path_text), shown)
    header = [h.strip().upper() for h in next(lines, (1, []))[1]]
    missing = [c for c in COLUMNS if c not in header and c not in OPTIONAL]
    if missing:
        raise InputError(shown, Message("error.csv.missing", columns=", ".join(missing)), 1,
                         missing[0])
    width = len(header)  # more than one: every required column is there
    # Each column's cell (the last of a name given twice, as a dict of the row has it).
    at = {name: i for i, name in enumerate(header)}
    p_schema, p_flavor, p_version = at["TABLE_SCHEMA"], at["FLAVOR"], at["SERVER_VERSION"]
    p_table, p_index = at["TABLE_NAME"], at["INDEX_NAME"]
    # The cells an index's first row gives the whole index, and those of one part. Checking
    # them is most of this reader's work, and they repeat: each different combination is
    # checked once per flavor (``_Rows.head`` and ``_Rows.part`` on the row as a dict,
    # raising their errors) and its result reused for the same cells.
    head_of = itemgetter(*(at[c] for c in (
        "ACCESS_METHOD", "IS_UNIQUE", "IS_PRIMARY", "CONSTRAINT_TYPE", "DEFERRABLE",
        "NULLS_NOT_DISTINCT", "IS_VALID", "PREDICATE", "INDEX_COMMENT", "STORAGE",
        "REFERENCED_BY") if c in at))
    part_of = itemgetter(*(at[c] for c in (
        "SEQ", "PART_KIND", "COLUMN_NAME", "EXPRESSION", "OPCLASS", "COLLATION",
        "DESCENDING", "NULLS_ORDER", "EXCLUDE_OPERATOR") if c in at))
    checked: dict[str, tuple[dict, dict]] = {}  # by flavor: (heads, parts)
    snapshot = Snapshot(source=shown, schema=wanted or None)
    tables = snapshot.tables
    # With a share: each table's rows, as the text of the cells that build it (NUL, which
    # no cell holds, between them; every row has the header's width).
    table_cells: dict[str, list[str]] = {}
    cells_of = itemgetter(*(i for i, name in enumerate(header)
                            if name not in ("TABLE_SCHEMA", "SERVER_VERSION")))
    join = "\0".join
    schemas: set[str] = set()
    indexes: dict[tuple[str, str], _Index] = {}
    seen_rows = False
    # The schema, flavor, version and table cells of the row before (None before the
    # first): a cell equal to the row before's passed its checks there. Rows come grouped
    # by table, so most rows only compare these cells.
    last_schema = last_flavor = last_version = last_table = None
    skipping = False
    flavor = ""
    heads: dict[tuple, tuple] = {}
    parts: dict[tuple, tuple] = {}
    found: list[str] = []
    entry: _Index | None = None
    for line, cells in lines:
        if len(cells) != width:
            if not cells or cells == [""]:
                continue
            raise InputError(shown, Message("error.csv.fields", width=width,
                                             found=len(cells)), line)
        seen_rows = True
        schema = cells[p_schema]
        if schema != last_schema:
            last_schema = schema
            schemas.add(schema)
            skipping = bool(sep) and schema != wanted
            if not sep and len(schemas) > 1:
                rows.fail(line, "TABLE_SCHEMA", several_schemas(schemas, path_text))
        if skipping:
            continue
        if cells[p_flavor] != last_flavor:
            flavor = cells[p_flavor].strip().lower()
            if flavor not in FLAVORS:
                rows.fail(line, "FLAVOR",
                          f"{excerpt(cells[p_flavor])} is not postgresql or sqlite")
            last_flavor = cells[p_flavor]
            snapshot.flavor = flavor
            heads, parts = checked.setdefault(flavor, ({}, {}))
        if cells[p_version] != last_version:
            snapshot.version = cells[p_version].strip() or None
            if snapshot.version is not None and not VERSION_TEXT.fullmatch(snapshot.version):
                # It picks the DDL a report writes: junk would only fail there, far from here.
                rows.fail(line, "SERVER_VERSION", f"{excerpt(cells[p_version])} is not a "
                          "server version like 15.4 (or empty)")
            last_version = cells[p_version]
        table = cells[p_table]
        if table != last_table:
            if not table:
                rows.fail(line, "TABLE_NAME", "a value is required here")
            last_table = table
            snapshot.table(table)
            entry = None
            if share is not None:
                found = table_cells.setdefault(table, [])
        if share is not None:
            found.append(join(cells_of(cells)))
        name = cells[p_index]
        if not name:
            continue
        if entry is None or entry.name != name:
            entry = indexes.get((table, name))
            if entry is None:
                head_cells = head_of(cells)
                head = heads.get(head_cells)
                if head is None:
                    head = heads[head_cells] = rows.head(dict(zip(header, cells, strict=True)),
                                                         line, flavor)
                entry = indexes[(table, name)] = _Index(line, table, name, head)
        part_cells = part_of(cells)
        part = parts.get(part_cells)
        if part is None:
            part = parts[part_cells] = rows.part(dict(zip(header, cells, strict=True)), line,
                                                 flavor)
        seq, is_key, value = part
        if seq in entry.parts or seq in entry.include:
            rows.fail(line, "SEQ", f"position {seq} of index {excerpt(name)} appears twice")
        if is_key:
            entry.parts[seq] = value  # type: ignore[assignment]
        else:
            entry.include[seq] = value  # type: ignore[assignment]
    if not seen_rows:
        raise NoTablesInput(shown, no_rows(), snapshot)
    if sep and wanted not in schemas:
        raise InputError(shown, schema_not_found(wanted, schemas))
    if len(schemas) == 1:
        snapshot.schema = next(iter(schemas))
    exact = names_case_sensitive(snapshot.flavor)
    keys: dict[str, tuple] = {}
    shared: dict[str, Table] = {}
    if share is not None:
        layout = ("catalog", tuple(header), snapshot.flavor)
        for table, found in table_cells.items():
            key = keys[table] = (layout, table, join(found))
            known = share.get(key)
            if known is not None:
                shared[table] = known
    for entry in indexes.values():
        if entry.table in shared:
            continue  # the same cells as an earlier env's table: built and checked there
        keyed, included = entry.parts, entry.include
        # The positions are distinct and at least 1, so they are 1..n when the largest is
        # n, and the key parts come first when they are 1..k.
        count = len(keyed) + len(included)
        if not keyed or max(keyed) != len(keyed) or \
                max(included, default=count) != count:
            raise InputError(shown, Message("error.csv.key_parts_order",
                                             index=excerpt(entry.name),
                                             table=excerpt(entry.table)),
                             entry.line, "SEQ")
        (index_type, unique, primary, constraint, deferrable, nulls_not_distinct, valid,
         predicate, comment, referenced_by, storage) = entry.head
        index = Index(
            table=entry.table, name=entry.name,
            parts=tuple(map(keyed.__getitem__, range(1, len(keyed) + 1))),
            unique=unique, primary=primary, index_type=index_type, comment=comment,
            include=tuple(map(included.__getitem__, range(len(keyed) + 1, count + 1))),
            predicate=predicate, nulls_not_distinct=nulls_not_distinct,
            constraint=constraint, deferrable=deferrable, valid=valid, storage=storage,
            exact_name=exact)
        owner = tables[entry.table]
        owner.add(index)
        if referenced_by:
            owner.referenced_by[index.name_key] = referenced_by
    # A live PostgreSQL/SQLite read knows nothing more that migrations check than the
    # foreign keys depending on an index, so a file with REFERENCED_BY is as good as the
    # live read; an older file without it cannot tell "no dependents" from "not known".
    snapshot.has_details = "REFERENCED_BY" in header
    for table, key in keys.items():
        if table in shared:
            tables[table] = shared[table]  # its place in table order kept
        else:
            share.put(key, tables[table])  # type: ignore[union-attr]
    return snapshot
