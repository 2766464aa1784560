"""The PostgreSQL column CSV: ``export --objects columns`` of a PostgreSQL env, read back by
``--columns-from ENV=FILE`` (or ``columns =`` in indexdrift.toml).

``information_schema.columns`` of PostgreSQL cannot hold what the live reader compares
(serial ownership, identity kind, a collation only when it is not the type's default,
``format_type`` text), so the file holds exactly the normalised fields of
``columns/postgres.py``, one row per column, in the conventions of the index catalog CSV
(``sources/pgcsv.py``): UTF-8, comma separated, a header row, an empty cell means "none",
``YES``/``NO`` flags. The columns (docs/postgresql.md describes each):

FLAVOR, SERVER_VERSION, TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, POSITION, COLUMN_TYPE,
IS_NULLABLE, COLUMN_DEFAULT, IS_SERIAL, IDENTITY, IDENTITY_OPTIONS, GENERATED,
GENERATION_EXPRESSION, COLLATION, COLUMN_COMMENT

``IDENTITY_OPTIONS`` (the declared options of an identity sequence without the defaults,
``INCREMENT BY 5 CACHE 20``; empty when all are defaults) came later: a file without it is
still read, and its identity options are then not known and not compared.

A table without columns (``CREATE TABLE t ()``) is one row with its ``TABLE_NAME`` and
every column field (``COLUMN_NAME`` to ``COLUMN_COMMENT``) empty, so that it reads back as a
table whose columns were read and are none (a file without such a row leaves the table's
columns unknown, and not compared).

``COLUMN_DEFAULT`` is the default as compared (casts dropped, numbers canonical, ``now()``
as ``CURRENT_TIMESTAMP``): ``NULL`` on a nullable column without a default, empty on a NOT
NULL column without one (and on serial, identity and generated columns). The header's
``FLAVOR`` and ``IS_SERIAL`` tell this file from an ``information_schema.COLUMNS`` export.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from indexdrift.core.errors import InputError, NoTablesInput
from indexdrift.core.i18n import Message
from indexdrift.core.limits import clip, excerpt
from indexdrift.dialects.postgresql.catalog import read_postgres_catalog
from indexdrift.dialects.postgresql.columns import canonical_identity_options
from indexdrift.model.tables import Column
from indexdrift.sources.column_files import ColumnsFile, check_sql
from indexdrift.sources.csvscan import utf8_rows
from indexdrift.sources.csvtext import (
    header_line,
    no_rows,
    schema_not_found,
    several_schemas,
    whole_number,
)
from indexdrift.sources.sqlcells import POSTGRES
from indexdrift.sources.urls import DbUrl

FIELDS = ("FLAVOR", "SERVER_VERSION", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "POSITION",
          "COLUMN_TYPE", "IS_NULLABLE", "COLUMN_DEFAULT", "IS_SERIAL", "IDENTITY",
          "IDENTITY_OPTIONS", "GENERATED", "GENERATION_EXPRESSION", "COLLATION",
          "COLUMN_COMMENT")
# Columns a file written before they existed lacks (read as "not known").
OPTIONAL = ("IDENTITY_OPTIONS",)
MARKERS = ("FLAVOR", "IS_SERIAL")
IDENTITIES = ("ALWAYS", "BY DEFAULT")
# PostgreSQL's most columns in a table (MaxHeapAttributeNumber; dropped columns count).
MAX_COLUMNS = 1600


def is_pg_columns_csv(spec: str) -> bool:
    """True when the file's header is this format's (not an information_schema export)."""
    line = header_line(spec)
    if line is None:
        return False
    header = {h.strip().strip('"').upper() for h in line.split(",")}
    return all(marker in header for marker in MARKERS)


def _yes(value: bool) -> str:
    return "YES" if value else "NO"


def export_columns_csv(url: DbUrl, env: str) -> tuple[str, int, int]:
    """A live PostgreSQL schema's columns as this CSV's text, with the number of columns and
    tables (``export --objects columns``, through the registry's ``columns_export``)."""
    version, schema, tables = read_postgres_catalog(url, env)
    count = sum(len(cols) for cols in tables.values())
    return columns_csv_text(version, schema, tables), count, len(tables)


def columns_csv_text(version: str, schema: str,
                     tables: dict[str, dict[str, Column]]) -> str:
    """The columns of one schema as CSV text, sorted by table and position."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for table in sorted(tables):
        if not tables[table]:
            writer.writerow(["postgresql", version, schema, table] + [""] * (len(FIELDS) - 4))
        for col in sorted(tables[table].values(), key=lambda c: c.position):
            writer.writerow([
                "postgresql", version, schema, table, col.name, col.position, col.column_type,
                _yes(col.nullable), col.default if col.default is not None else "",
                _yes(col.auto_increment), col.identity or "", col.identity_options or "",
                col.generated or "",
                col.expression or "", col.collation or "", col.comment])
    return out.getvalue()


class _Cells:
    """One data row with errors located by file, line and column."""

    def __init__(self, shown: str, line: int, row: dict[str, str]) -> None:
        self.shown, self.line, self.row = shown, line, row

    def fail(self, column: str, message: str) -> None:
        raise InputError(self.shown, message, self.line, column)

    def required(self, column: str) -> str:
        value = self.row[column]
        if not value:
            self.fail(column, Message("error.csv.required"))
        return value

    def flag(self, column: str) -> bool:
        value = self.row[column].strip().upper()
        if value in ("YES", "TRUE", "1", "T"):
            return True
        if value in ("NO", "FALSE", "0", "F"):
            return False
        self.fail(column, Message("error.csv.not_yes_no", value=excerpt(self.row[column])))
        return False

    def choice(self, column: str, allowed: tuple[str, ...]) -> str | None:
        value = self.row[column].strip().upper()
        if value and value not in allowed:
            self.fail(column, Message("error.csv.not_choice", value=excerpt(self.row[column]),
                                      choices=" or ".join(allowed)))
        return value or None


def read_pg_columns_csv(spec: str) -> ColumnsFile:
    """Read a PostgreSQL column CSV (``path`` or ``path#schema``)."""
    path_text, sep, wanted = spec.partition("#")
    shown = path_text
    path = Path(path_text)
    if not path.is_file():
        raise InputError(shown, Message("error.no_such_file"))
    lines = utf8_rows(path, shown)
    header = [h.strip().upper() for h in next(lines, (1, []))[1]]
    missing = [c for c in FIELDS if c not in header and c not in OPTIONAL]
    if missing:
        raise InputError(shown, Message("error.csv.missing", columns=", ".join(missing)), 1,
                         missing[0])
    schemas: set[str] = set()
    seen: dict[tuple[str, str], int] = {}
    parsed: list[tuple[str, Column]] = []
    empty: dict[str, int] = {}  # tables without columns, by the line listing them
    for line, cells in lines:
        if not cells or cells == [""]:
            continue
        if len(cells) != len(header):
            raise InputError(shown, Message("error.csv.fields", width=len(header),
                                             found=len(cells)), line)
        row = _Cells(shown, line, dict(zip(header, cells, strict=True)))
        schema = row.required("TABLE_SCHEMA")
        schemas.add(schema)
        if sep and schema != wanted:
            continue
        if not sep and len(schemas) > 1:
            row.fail("TABLE_SCHEMA", several_schemas(schemas, shown))
        if row.row["FLAVOR"].strip().lower() != "postgresql":
            row.fail("FLAVOR", Message("error.csv.not_flavor", value=excerpt(row.row["FLAVOR"]),
                                       flavor="postgresql"))
        if not any(row.row.get(name) for name in FIELDS[FIELDS.index("COLUMN_NAME"):]):
            empty.setdefault(row.required("TABLE_NAME"), line)  # a table without columns
            continue
        table, column = _column(row, seen)
        check_sql(column, shown, line, POSTGRES, collation_cell="COLLATION")
        parsed.append((table, column))
    if not schemas:
        raise NoTablesInput(shown, no_rows(), None)
    if sep and wanted not in schemas:
        raise InputError(shown, schema_not_found(wanted, schemas))
    out = ColumnsFile(shown, wanted if sep else next(iter(schemas), None), "postgresql")
    for table, column in sorted(parsed, key=lambda item: (item[0], item[1].position)):
        out.tables.setdefault(table, {})[column.name_key] = column
    for table, line in sorted(empty.items()):
        if out.tables.get(table):
            raise InputError(shown, Message("error.csv.columns_elsewhere", table=clip(table)),
                             line, "COLUMN_NAME")
        out.tables[table] = {}
    return out


def _column(row: _Cells, seen: dict[tuple[str, str], int]) -> tuple[str, Column]:
    """One row → (table, Column), checked field by field."""
    table, name = row.required("TABLE_NAME"), row.required("COLUMN_NAME")
    if (table, name) in seen:  # names are case-sensitive on PostgreSQL
        row.fail("COLUMN_NAME", Message("error.csv.column_twice", column=clip(f"{table}.{name}"),
                                         first=seen[(table, name)]))
    seen[(table, name)] = row.line
    try:
        position = whole_number(row.row["POSITION"])
    except ValueError:
        row.fail("POSITION", Message("error.csv.not_number", value=excerpt(row.row["POSITION"])))
    if not 1 <= position <= MAX_COLUMNS:
        row.fail("POSITION", Message("error.csv.position_postgresql", value=excerpt(position),
                                      most=MAX_COLUMNS))
    generated = row.choice("GENERATED", ("STORED",))
    expression = row.row["GENERATION_EXPRESSION"] or None
    if bool(generated) != bool(expression):
        row.fail("GENERATION_EXPRESSION", Message("error.csv.generated"))
    identity = row.choice("IDENTITY", IDENTITIES)
    options = row.row.get("IDENTITY_OPTIONS")  # None: a file older than the column
    if options is not None:
        options = " ".join(options.split()).upper()
        if options and not identity:
            row.fail("IDENTITY_OPTIONS", Message("error.csv.identity_only"))
        try:
            options = canonical_identity_options(options, row.row["COLUMN_TYPE"].strip())
        except ValueError as exc:
            row.fail("IDENTITY_OPTIONS", f"{exc} (expected e.g. START WITH 10 INCREMENT BY 5 "
                     "MINVALUE 1 MAXVALUE 1000 CACHE 20 CYCLE, defaults left out)")
    return table, Column(
        name=name, position=position, column_type=row.required("COLUMN_TYPE"),
        nullable=row.flag("IS_NULLABLE"), default=row.row["COLUMN_DEFAULT"] or None,
        comment=row.row["COLUMN_COMMENT"], collation=row.row["COLLATION"] or None,
        auto_increment=row.flag("IS_SERIAL"), generated=generated, expression=expression,
        identity=identity, dialect="postgresql",
        identity_options=options if identity else None)
