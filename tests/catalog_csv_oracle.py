"""The catalog CSV reader as it was before its fast path (``sources/catalog_csv.py`` at
b57325e), kept only as the oracle of tests/test_catalog_csv_fast_path.py: the reader must
build the same snapshot and raise the same error as this one for every file."""

from __future__ import annotations

from operator import itemgetter
from pathlib import Path

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
)
from indexdrift.sources.catalog_csv import _METHOD, COLUMNS, FLAVORS, MAX_PARTS, OPTIONAL
from indexdrift.sources.csvscan import utf8_rows
from indexdrift.sources.csvtext import (
    no_rows,
    schema_not_found,
    several_schemas,
    whole_number,
)
from indexdrift.sources.sqlcells import (
    POSTGRES,
    SQLITE,
    expression_problem,
    name_problem,
    operator_problem,
)
from indexdrift.sources.tableshare import TableShare

DIALECTS = {"postgresql": POSTGRES, "sqlite": SQLITE}


class _Rows:
    """Row access with errors located by file, line and column."""

    def __init__(self, shown: str) -> None:
        self.shown = shown

    def fail(self, line: int, column: str, message: str) -> None:
        raise InputError(self.shown, message, line, column)

    def flag(self, row: dict[str, str], line: int, column: str) -> bool:
        value = row[column].strip().upper()
        if value in ("YES", "TRUE", "1", "T"):
            return True
        if value in ("NO", "FALSE", "0", "F", ""):
            return False
        self.fail(line, column, f"{excerpt(row[column])} is not YES or NO")
        return False

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
    snapshot = Snapshot(source=shown, schema=wanted or None)
    # With a share: each table's rows, as the text of the cells that build it (NUL, which
    # no cell holds, between them; every row has the header's width).
    table_cells: dict[str, list[str]] = {}
    cells_of = itemgetter(*(i for i, name in enumerate(header)
                            if name not in ("TABLE_SCHEMA", "SERVER_VERSION")))
    join = "\0".join
    schemas: set[str] = set()
    indexes: dict[tuple[str, str], dict] = {}
    seen_rows = False
    for line, cells in lines:
        if not cells or cells == [""]:
            continue
        seen_rows = True
        if len(cells) != len(header):
            raise InputError(shown, Message("error.csv.fields", width=len(header),
                                             found=len(cells)), line)
        row = dict(zip(header, cells, strict=True))
        if sep and row["TABLE_SCHEMA"] != wanted:
            schemas.add(row["TABLE_SCHEMA"])
            continue
        schemas.add(row["TABLE_SCHEMA"])
        if not sep and len(schemas) > 1:
            rows.fail(line, "TABLE_SCHEMA", several_schemas(schemas, path_text))
        flavor = row["FLAVOR"].strip().lower()
        if flavor not in FLAVORS:
            rows.fail(line, "FLAVOR", f"{excerpt(row['FLAVOR'])} is not postgresql or sqlite")
        snapshot.flavor = flavor
        snapshot.version = row["SERVER_VERSION"].strip() or None
        if snapshot.version is not None and not VERSION_TEXT.fullmatch(snapshot.version):
            # It picks the DDL a report writes: junk would only fail there, far from here.
            rows.fail(line, "SERVER_VERSION", f"{excerpt(row['SERVER_VERSION'])} is not a "
                      "server version like 15.4 (or empty)")
        table = row["TABLE_NAME"]
        if not table:
            rows.fail(line, "TABLE_NAME", "a value is required here")
        snapshot.table(table)
        if share is not None:
            found = table_cells.get(table)
            if found is None:
                found = table_cells[table] = []
            found.append(join(cells_of(cells)))
        name = row["INDEX_NAME"]
        if not name:
            continue
        entry = indexes.get((table, name))
        if entry is None:
            constraint = row["CONSTRAINT_TYPE"].strip().lower() or None
            if constraint not in (None, "p", "u", "x"):
                rows.fail(line, "CONSTRAINT_TYPE",
                          f"{excerpt(constraint)} is not p, u, x or empty")
            deferrable = row.get("DEFERRABLE", "").strip().upper() or None
            if deferrable not in (None, "IMMEDIATE", "DEFERRED"):
                rows.fail(line, "DEFERRABLE",
                          f"{excerpt(deferrable)} is not IMMEDIATE, DEFERRED or empty")
            method = row["ACCESS_METHOD"].strip()
            if not method:
                rows.fail(line, "ACCESS_METHOD", "a value is required here")
            if not _METHOD.fullmatch(method):
                rows.fail(line, "ACCESS_METHOD", f"{excerpt(method)} is not an access method "
                          "name (letters, digits, _)")
            entry = indexes[(table, name)] = dict(
                line=line, table=table, name=name, index_type=method.upper(),
                unique=rows.flag(row, line, "IS_UNIQUE"),
                primary=rows.flag(row, line, "IS_PRIMARY"), constraint=constraint,
                deferrable=deferrable,
                nulls_not_distinct=rows.flag(row, line, "NULLS_NOT_DISTINCT"),
                valid=rows.flag(row, line, "IS_VALID") if row["IS_VALID"].strip() else True,
                predicate=rows.sql(row, line, "PREDICATE", flavor),
                comment=row["INDEX_COMMENT"],
                referenced_by=tuple(d for d in row.get("REFERENCED_BY", "").split("\n") if d),
                # An older file without the column: unknown (None), never compared.
                storage=(parse_storage(row["STORAGE"].replace("\n", ",").split(","))
                         if "STORAGE" in row else None),
                parts={}, include={})
        try:
            seq = whole_number(row["SEQ"])
        except ValueError:
            rows.fail(line, "SEQ", f"{excerpt(row['SEQ'])} is not a whole number")
        if not 1 <= seq <= MAX_PARTS[flavor]:
            rows.fail(line, "SEQ", f"{excerpt(seq)} is not a part position (1 to "
                      f"{MAX_PARTS[flavor]}: the most parts a {flavor} index can have)")
        kind = row["PART_KIND"].strip().lower()
        if kind == "key":
            if not row["COLUMN_NAME"] and not row["EXPRESSION"]:
                rows.fail(line, "COLUMN_NAME", "a key part needs a column or an expression")
            nulls = row["NULLS_ORDER"].strip().upper()
            if nulls not in ("", "FIRST", "LAST"):
                rows.fail(line, "NULLS_ORDER",
                          f"{excerpt(row['NULLS_ORDER'])} is not FIRST or LAST")
            operator = row.get("EXCLUDE_OPERATOR", "").strip() or None
            if operator is not None and operator_problem(operator) is not None:
                rows.fail(line, "EXCLUDE_OPERATOR",
                          f"{excerpt(operator)} {operator_problem(operator)}")
            bucket = entry["parts"]
            expression = rows.sql(row, line, "EXPRESSION", flavor)
            value = KeyPart(column=row["COLUMN_NAME"] or None if not expression else None,
                            expression=expression,
                            descending=rows.flag(row, line, "DESCENDING"),
                            opclass=rows.name(row, line, "OPCLASS"),
                            collation=rows.name(row, line, "COLLATION"),
                            nulls_first=None if not nulls else nulls == "FIRST",
                            operator=operator,
                            exact_column=names_case_sensitive(flavor))
        elif kind == "include":
            if not row["COLUMN_NAME"]:
                rows.fail(line, "COLUMN_NAME", "an INCLUDE part needs a column")
            bucket, value = entry["include"], row["COLUMN_NAME"]
        else:
            rows.fail(line, "PART_KIND", f"{excerpt(row['PART_KIND'])} is not key or include")
        if seq in entry["parts"] or seq in entry["include"]:
            rows.fail(line, "SEQ", f"position {seq} of index {excerpt(name)} appears twice")
        bucket[seq] = value
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
        if entry["table"] in shared:
            continue  # the same cells as an earlier env's table: built and checked there
        positions = sorted([*entry["parts"], *entry["include"]])
        if positions != list(range(1, len(positions) + 1)) or not entry["parts"] or \
                max(entry["parts"]) > min(entry["include"], default=len(positions) + 1):
            raise InputError(shown, Message("error.csv.key_parts_order",
                                             index=excerpt(entry["name"]),
                                             table=excerpt(entry["table"])),
                             entry["line"], "SEQ")
        owner = snapshot.table(entry["table"])
        index = Index(
            table=entry["table"], name=entry["name"],
            parts=tuple(entry["parts"][k] for k in sorted(entry["parts"])),
            unique=entry["unique"], primary=entry["primary"], index_type=entry["index_type"],
            comment=entry["comment"],
            include=tuple(entry["include"][k] for k in sorted(entry["include"])),
            predicate=entry["predicate"], nulls_not_distinct=entry["nulls_not_distinct"],
            constraint=entry["constraint"], deferrable=entry["deferrable"], valid=entry["valid"],
            storage=entry["storage"], exact_name=exact)
        owner.add(index)
        if entry["referenced_by"]:
            owner.referenced_by[index.name_key] = entry["referenced_by"]
    # A live PostgreSQL/SQLite read knows nothing more that migrations check than the
    # foreign keys depending on an index, so a file with REFERENCED_BY is as good as the
    # live read; an older file without it cannot tell "no dependents" from "not known".
    snapshot.has_details = "REFERENCED_BY" in header
    for table, key in keys.items():
        if table in shared:
            snapshot.tables[table] = shared[table]  # its place in table order kept
        else:
            share.put(key, snapshot.tables[table])  # type: ignore[union-attr]
    return snapshot
