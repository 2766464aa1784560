"""The SQLite column CSV: ``export --objects columns`` of a SQLite file (alone or in an
export directory), read back by ``--columns-from ENV=FILE`` or as a directory's
``columns.csv``.

SQLite has no ``information_schema``; the file holds exactly the normalised fields the
SQLite column reader compares (columns.py), one row per column, in the conventions of the
catalog CSV: UTF-8, comma separated, a header row, an empty cell means "none", ``YES``/
``NO`` flags; like the export directory's object files, a cell that starts like a
spreadsheet formula (or with ``'``) gets a leading ``'`` (core/csvcells.py), which the
reader strips. The columns:

FLAVOR, TABLE_NAME, COLUMN_NAME, POSITION, DECLARED_TYPE, IS_NULLABLE, COLUMN_DEFAULT,
IS_ROWID_ALIAS, IDENTITY, GENERATED, GENERATION_EXPRESSION, COLLATION

``DECLARED_TYPE`` is the type as compared (lower case, canonical spacing); with ``FLAVOR``
it tells this file from the other column files. ``COLUMN_DEFAULT`` is ``NULL`` on a
nullable column without a default and empty on a NOT NULL one; ``IS_ROWID_ALIAS`` is an
``INTEGER PRIMARY KEY`` column, ``IDENTITY`` ``AUTOINCREMENT`` when it has that keyword.
A table without columns cannot exist in SQLite; every table has at least one row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from pathlib import Path

from indexdrift.core.csvcells import original_text, spreadsheet_text
from indexdrift.core.errors import InputError, NoTablesInput
from indexdrift.core.i18n import Message
from indexdrift.core.limits import clip, excerpt
from indexdrift.model.tables import Column, Snapshot
from indexdrift.sources.column_files import ColumnsFile, check_sql
from indexdrift.sources.csvscan import utf8_rows
from indexdrift.sources.csvtext import header_mentions, no_rows, whole_number
from indexdrift.sources.sqlcells import SQLITE

FIELDS = ("FLAVOR", "TABLE_NAME", "COLUMN_NAME", "POSITION", "DECLARED_TYPE", "IS_NULLABLE",
          "COLUMN_DEFAULT", "IS_ROWID_ALIAS", "IDENTITY", "GENERATED",
          "GENERATION_EXPRESSION", "COLLATION")
MARKERS = ("FLAVOR", "DECLARED_TYPE")
# SQLITE_MAX_COLUMN's default.
MAX_COLUMNS = 2000


def is_sqlite_columns_csv(spec: str) -> bool:
    """True when the file's header is this format's."""
    return header_mentions(spec, MARKERS)


def _yes(value: bool) -> str:
    return "YES" if value else "NO"


def columns_csv_text(snapshot: Snapshot) -> str:
    """The columns of a SQLite snapshot read with its columns, sorted by table, position."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(FIELDS)
    for name in sorted(snapshot.tables):
        columns = snapshot.tables[name].columns or {}
        for col in sorted(columns.values(), key=lambda c: c.position):
            writer.writerow([spreadsheet_text(str(cell)) for cell in (
                "sqlite", name, col.name, col.position, col.column_type, _yes(col.nullable),
                "" if col.default is None else col.default, _yes(col.auto_increment),
                col.identity or "", col.generated or "", col.expression or "",
                col.collation or "")])
    return out.getvalue()


def export_file_columns_csv(path: str, env: str) -> tuple[str, int, int]:
    """A SQLite file's columns as this CSV's text, with the number of columns and tables
    (the SQLite file format's ``columns_export``, core/registry.py)."""
    from indexdrift.dialects.sqlite.catalog import read_sqlite

    snapshot = read_sqlite(path, columns=True, env=env)
    count = sum(len(t.columns or {}) for t in snapshot.tables.values())
    return columns_csv_text(snapshot), count, len(snapshot.tables)


def _flag(shown: str, line: int, row: dict[str, str], column: str) -> bool:
    value = row[column].strip().upper()
    if value not in ("YES", "NO"):
        raise InputError(shown, Message("error.csv.not_yes_no", value=excerpt(row[column])),
                         line, column)
    return value == "YES"


def _choice(shown: str, line: int, row: dict[str, str], column: str,
            allowed: tuple[str, ...]) -> str | None:
    value = row[column].strip().upper() or None
    if value is not None and value not in allowed:
        raise InputError(shown, Message("error.csv.not_choice", value=excerpt(row[column]),
                                         choices=" or ".join(allowed)), line, column)
    return value


def read_sqlite_columns_csv(spec: str) -> ColumnsFile:
    """Read a SQLite column CSV (one schema: ``main``)."""
    shown = spec
    lines = utf8_rows(Path(spec), shown)
    header = [h.strip().upper() for h in next(lines, (1, []))[1]]
    missing = [c for c in FIELDS if c not in header]
    if missing:
        raise InputError(shown, Message("error.csv.missing", columns=", ".join(missing)), 1,
                         missing[0])
    out = ColumnsFile(shown, "main", "sqlite")
    seen: dict[tuple[str, str], int] = {}
    for line, cells in lines:
        if not cells or cells == [""]:
            continue
        if len(cells) != len(header):
            raise InputError(shown, Message("error.csv.fields", width=len(header),
                                             found=len(cells)), line)
        row = {h: original_text(c) for h, c in zip(header, cells, strict=True)}
        if row["FLAVOR"].strip().lower() != "sqlite":
            raise InputError(shown, Message("error.csv.not_flavor", value=excerpt(row["FLAVOR"]),
                                             flavor="sqlite"), line, "FLAVOR")
        table, name = row["TABLE_NAME"], row["COLUMN_NAME"]
        for cell in ("TABLE_NAME", "COLUMN_NAME"):  # a type may be empty in SQLite
            if not row[cell]:
                raise InputError(shown, Message("error.csv.required"), line, cell)
        key = (table, name.lower())
        if key in seen:
            raise InputError(shown, Message("error.csv.column_twice",
                                             column=clip(f"{table}.{name}"), first=seen[key]),
                             line, "COLUMN_NAME")
        seen[key] = line
        try:
            position = whole_number(row["POSITION"])
        except ValueError:
            raise InputError(shown, Message("error.csv.not_number", value=excerpt(row["POSITION"])),
                             line, "POSITION") from None
        if not 1 <= position <= MAX_COLUMNS:
            raise InputError(shown, Message("error.csv.position", value=position,
                                             most=MAX_COLUMNS), line, "POSITION")
        generated = _choice(shown, line, row, "GENERATED", ("VIRTUAL", "STORED"))
        expression = row["GENERATION_EXPRESSION"] or None
        if bool(generated) != bool(expression):
            raise InputError(shown, Message("error.csv.generated"), line,
                             "GENERATION_EXPRESSION")
        column = Column(
            name=name, position=position, column_type=row["DECLARED_TYPE"],
            nullable=_flag(shown, line, row, "IS_NULLABLE"),
            default=row["COLUMN_DEFAULT"] or None,
            collation=row["COLLATION"] or None,
            auto_increment=_flag(shown, line, row, "IS_ROWID_ALIAS"),
            identity=_choice(shown, line, row, "IDENTITY", ("AUTOINCREMENT",)),
            generated=generated, expression=expression, dialect="sqlite")
        # A column declared without a type (SQLite allows it) has no type text to check.
        check_sql(replace(column, column_type=column.column_type or None), shown, line,
                  SQLITE, collation_cell="COLLATION")
        out.tables.setdefault(table, {})[column.name_key] = column
    if not seen:
        raise NoTablesInput(shown, no_rows(), None)
    for table, columns in out.tables.items():
        out.tables[table] = dict(sorted(columns.items(), key=lambda item: item[1].position))
        positions = [c.position for c in out.tables[table].values()]
        if len(set(positions)) != len(positions):
            raise InputError(shown, Message("error.csv.position_twice", table=clip(table)))
    return out
