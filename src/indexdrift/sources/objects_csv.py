"""The object files of an export directory: foreign keys, CHECK constraints and table
options as CSV (``foreign_keys.csv``, ``checks.csv``, ``tables.csv``), the same format for
every database (indexdrift's own, like the catalog CSV). docs/sources.md describes them.

UTF-8, comma separated, a header row. Every text cell goes through
``core.csvcells.spreadsheet_text`` when written and ``original_text`` when read: a name or
comment that starts like a formula (``=cmd``) gets a leading ``'`` that a spreadsheet
shows as text, and the round trip stays exact. Each file is read as if a stranger wrote
it: a CHECK expression must be one SQL expression, an action one of the server's, a
bare option one word; a table the env's index file does not list is an error.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from indexdrift.core import registry as dialects
from indexdrift.core.csvcells import original_text, spreadsheet_text
from indexdrift.core.errors import InputError
from indexdrift.core.i18n import Message
from indexdrift.core.limits import excerpt
from indexdrift.model.tables import (
    TABLE_OPTIONS,
    CheckConstraint,
    ForeignKey,
    Snapshot,
    names_case_sensitive,
)
from indexdrift.sources.csvscan import utf8_rows
from indexdrift.sources.csvtext import whole_number
from indexdrift.sources.snapshot import DEFERRABLE, FK_ACTIONS, FK_MATCHES
from indexdrift.sources.sqlcells import MYSQL, expression_problem

FOREIGN_KEY_FIELDS = ("FLAVOR", "TABLE_NAME", "FK_NO", "CONSTRAINT_NAME", "SEQ", "COLUMN_NAME",
                      "REFERENCED_SCHEMA", "REFERENCED_TABLE", "REFERENCED_COLUMN",
                      "ON_UPDATE", "ON_DELETE", "MATCH_OPTION", "DEFERRABLE", "IS_VALID")
CHECK_FIELDS = ("FLAVOR", "TABLE_NAME", "CONSTRAINT_NAME", "CHECK_CLAUSE", "COLUMN_NAME",
                "IS_ENFORCED", "IS_VALID", "NO_INHERIT")
TABLE_FIELDS = ("FLAVOR", "TABLE_NAME", "OPTION_NAME", "OPTION_VALUE")
# Options a DDL statement writes bare (ENGINE=InnoDB): one word each.
_WORD_OPTIONS = ("engine", "charset", "collation", "row_format")
_WORD = re.compile(r"\w*")
# The most columns a foreign key can have (PostgreSQL's INDEX_MAX_KEYS is 32, SQLite's
# SQLITE_MAX_COLUMN 2000).
MAX_KEY_COLUMNS = 2000


def _yes(value: bool) -> str:
    return "YES" if value else "NO"


def _writer() -> tuple[io.StringIO, csv.writer]:
    out = io.StringIO()
    return out, csv.writer(out, lineterminator="\n")


def _row(cells: list) -> list[str]:
    """Every cell as text, formula-looking ones escaped (core/csvcells.py)."""
    return [spreadsheet_text(c) if isinstance(c, str) else str(c) for c in cells]


def foreign_keys_csv(snapshot: Snapshot) -> str:
    """Every table's foreign keys, one row per column pair, in the table's key order
    (``FK_NO``). A key that references its parent's primary key without naming columns
    (SQLite) has empty ``REFERENCED_COLUMN`` cells."""
    out, writer = _writer()
    writer.writerow(FOREIGN_KEY_FIELDS)
    flavor = snapshot.flavor or ""
    for name in sorted(snapshot.tables):
        for number, fk in enumerate(snapshot.tables[name].foreign_keys, start=1):
            if fk.ref_table is None:
                raise ValueError(f"foreign key {fk.name} of {name} was read without its "
                                 "definition")
            for seq, column in enumerate(fk.columns, start=1):
                ref = fk.ref_columns[seq - 1] if seq <= len(fk.ref_columns) else ""
                writer.writerow(_row([flavor, name, number, fk.name, seq, column,
                                      fk.ref_schema or "", fk.ref_table, ref, fk.on_update,
                                      fk.on_delete, fk.match, fk.deferrable or "",
                                      _yes(fk.valid)]))
    return out.getvalue()


def checks_csv(snapshot: Snapshot) -> str:
    """Every table's CHECK constraints, one row each (``COLUMN_NAME``: MariaDB's
    column-level check's column)."""
    out, writer = _writer()
    writer.writerow(CHECK_FIELDS)
    flavor = snapshot.flavor or ""
    for name in sorted(snapshot.tables):
        checks = snapshot.tables[name].checks or {}
        for check in sorted(checks.values(), key=lambda c: c.name):
            writer.writerow(_row([flavor, name, check.name, check.expression,
                                  check.column or "", _yes(check.enforced), _yes(check.valid),
                                  _yes(check.no_inherit)]))
    return out.getvalue()


def tables_csv(snapshot: Snapshot) -> str:
    """Every table and its compared options (``Table.options``), one row per option; a
    table without any has one row with an empty ``OPTION_NAME``."""
    out, writer = _writer()
    writer.writerow(TABLE_FIELDS)
    flavor = snapshot.flavor or ""
    for name in sorted(snapshot.tables):
        options = snapshot.tables[name].options or {}
        if not options:
            writer.writerow(_row([flavor, name, "", ""]))
        for key in sorted(options):
            writer.writerow(_row([flavor, name, key, options[key]]))
    return out.getvalue()


class _File:
    """The rows of one object file as {header: original text}, errors naming the line."""

    def __init__(self, path: Path, fields: tuple[str, ...], snapshot: Snapshot) -> None:
        self.shown = str(path)
        self.path = path
        self.fields = fields
        self.snapshot = snapshot
        self.line = 1

    def fail(self, column: str | None, message: str) -> None:
        raise InputError(self.shown, message, self.line, column)

    def rows(self) -> Iterator[dict[str, str]]:
        lines = utf8_rows(self.path, self.shown)
        header = [h.strip().upper() for h in next(lines, (1, []))[1]]
        missing = [f for f in self.fields if f not in header]
        if missing:
            raise InputError(self.shown, Message("error.csv.missing", columns=", ".join(missing)),
                             1, missing[0])
        for line, cells in lines:
            self.line = line
            if not cells or cells == [""]:
                continue
            if len(cells) != len(header):
                self.fail(None, f"expected {len(header)} fields, found {len(cells)}")
            row = {h: original_text(c) for h, c in zip(header, cells, strict=True)}
            self._flavor(row["FLAVOR"].strip().lower())
            if row["TABLE_NAME"] not in self.snapshot.tables:
                self.fail("TABLE_NAME", f"table {excerpt(row['TABLE_NAME'])} is not in the "
                          "env's index file")
            yield row

    def _flavor(self, flavor: str) -> None:
        known = self.snapshot.flavor
        if flavor and known and flavor != known and {flavor, known} != {"mysql", "mariadb"}:
            self.fail("FLAVOR", f"{excerpt(flavor)} objects but the env's indexes are {known}")
        if flavor and known is None:
            if dialects.of_flavor(flavor) is None:
                self.fail("FLAVOR", f"{excerpt(flavor)} is not a server flavor")
            self.snapshot.flavor = flavor

    def flag(self, row: dict[str, str], column: str) -> bool:
        value = row[column].strip().upper()
        if value not in ("YES", "NO"):
            self.fail(column, f"{excerpt(row[column])} is not YES or NO")
        return value == "YES"

    def choice(self, row: dict[str, str], column: str, allowed: tuple) -> str | None:
        value = row[column].strip().upper() or None
        if value not in allowed:
            shown = ", ".join("empty" if a is None else a for a in allowed)
            self.fail(column, f"{excerpt(row[column])} is not one of {shown}")
        return value

    def number(self, row: dict[str, str], column: str, most: int) -> int:
        try:
            value = whole_number(row[column])
        except ValueError:
            self.fail(column, f"{excerpt(row[column])} is not a whole number")
        if not 1 <= value <= most:
            self.fail(column, f"{value} is not between 1 and {most}")
        return value


def _sql_dialect(snapshot: Snapshot) -> str:
    found = dialects.of_flavor(snapshot.flavor)
    return found.sql_text if found is not None else MYSQL


def read_foreign_keys(path: Path, snapshot: Snapshot) -> None:
    """Give every table of ``snapshot`` its foreign keys from ``path`` (a table the file
    does not name has none)."""
    file = _File(path, FOREIGN_KEY_FIELDS, snapshot)
    keys: dict[tuple[str, int], dict] = {}
    for row in file.rows():
        number = file.number(row, "FK_NO", 1 << 16)
        seq = file.number(row, "SEQ", MAX_KEY_COLUMNS)
        key = keys.get((row["TABLE_NAME"], number))
        definition = (row["CONSTRAINT_NAME"], row["REFERENCED_SCHEMA"] or None,
                      row["REFERENCED_TABLE"],
                      file.choice(row, "ON_UPDATE", FK_ACTIONS),
                      file.choice(row, "ON_DELETE", FK_ACTIONS),
                      file.choice(row, "MATCH_OPTION", FK_MATCHES),
                      file.choice(row, "DEFERRABLE", DEFERRABLE), file.flag(row, "IS_VALID"))
        if not row["REFERENCED_TABLE"]:
            file.fail("REFERENCED_TABLE", "a value is required here")
        if not row["COLUMN_NAME"]:
            file.fail("COLUMN_NAME", "a value is required here")
        if key is None:
            key = keys[(row["TABLE_NAME"], number)] = {"definition": definition, "parts": {},
                                                       "line": file.line}
        elif key["definition"] != definition:
            file.fail("CONSTRAINT_NAME", f"foreign key {number} of table "
                      f"{excerpt(row['TABLE_NAME'])} differs from its first line "
                      f"({key['line']})")
        if seq in key["parts"]:
            file.fail("SEQ", f"position {seq} of foreign key {number} appears twice")
        key["parts"][seq] = (row["COLUMN_NAME"], row["REFERENCED_COLUMN"])
    exact = names_case_sensitive(snapshot.flavor)
    found: dict[str, list[tuple[int, ForeignKey]]] = {}
    for (table, number), key in keys.items():
        parts = [key["parts"][s] for s in sorted(key["parts"])]
        file.line = key["line"]
        if sorted(key["parts"]) != list(range(1, len(parts) + 1)):
            file.fail("SEQ", f"the columns of foreign key {number} of table {excerpt(table)} "
                      "must be numbered 1, 2, ...")
        refs = tuple(r for _, r in parts)
        if any(refs) and not all(refs):
            file.fail("REFERENCED_COLUMN", f"foreign key {number} of table {excerpt(table)} "
                      "names some referenced columns but not all")
        name, ref_schema, ref_table, on_update, on_delete, match, deferrable, valid = \
            key["definition"]
        found.setdefault(table, []).append((number, ForeignKey(
            table, name, tuple(c for c, _ in parts), ref_table=ref_table,
            ref_columns=refs if all(refs) else (), ref_schema=ref_schema,
            on_update=on_update or "NO ACTION", on_delete=on_delete or "NO ACTION",
            match=match or "SIMPLE", deferrable=deferrable, valid=valid, exact_name=exact)))
    for name, table in snapshot.tables.items():
        table.foreign_keys = tuple(fk for _, fk in sorted(found.get(name, [])))
    snapshot.objects = snapshot.objects | {"foreign_keys"}


def read_checks(path: Path, snapshot: Snapshot) -> None:
    """Give every table of ``snapshot`` its CHECK constraints from ``path``."""
    file = _File(path, CHECK_FIELDS, snapshot)
    found: dict[str, dict[str, CheckConstraint]] = {}
    sql = None
    for row in file.rows():
        sql = sql or _sql_dialect(snapshot)
        expression = row["CHECK_CLAUSE"]
        problem = expression_problem(expression, sql) if expression else "is empty"
        if problem is not None:
            file.fail("CHECK_CLAUSE", f"{excerpt(expression)} {problem}")
        check = CheckConstraint(
            row["TABLE_NAME"], row["CONSTRAINT_NAME"], expression,
            column=row["COLUMN_NAME"] or None, enforced=file.flag(row, "IS_ENFORCED"),
            valid=file.flag(row, "IS_VALID"), no_inherit=file.flag(row, "NO_INHERIT"),
            exact_name=names_case_sensitive(snapshot.flavor))
        checks = found.setdefault(check.table, {})
        if check.name_key in checks:
            file.fail("CONSTRAINT_NAME", f"check {excerpt(check.name)} appears twice on table "
                      f"{excerpt(check.table)}")
        checks[check.name_key] = check
    for name, table in snapshot.tables.items():
        table.checks = found.get(name, {})
    snapshot.objects = snapshot.objects | {"checks"}


def read_tables(path: Path, snapshot: Snapshot) -> None:
    """Give every table of ``snapshot`` its options from ``path``; every table of the env
    must be listed (a table without options on a line with an empty ``OPTION_NAME``)."""
    file = _File(path, TABLE_FIELDS, snapshot)
    found: dict[str, dict[str, str]] = {}
    for row in file.rows():
        family = dialects.of_flavor(snapshot.flavor)
        allowed = TABLE_OPTIONS.get(family.name, ()) if family is not None else ()
        options = found.setdefault(row["TABLE_NAME"], {})
        key, value = row["OPTION_NAME"], row["OPTION_VALUE"]
        if not key:
            continue
        if key not in allowed:
            file.fail("OPTION_NAME", f"{excerpt(key)} is not a table option of "
                      f"{snapshot.flavor or 'an unknown flavor'} (" + ", ".join(allowed) + ")")
        if key in _WORD_OPTIONS and not _WORD.fullmatch(value):
            file.fail("OPTION_VALUE", f"{excerpt(value)} is not one word")
        if key in options:
            file.fail("OPTION_NAME", f"option {key} of table {excerpt(row['TABLE_NAME'])} "
                      "appears twice")
        options[key] = value
    unlisted = sorted(set(snapshot.tables) - set(found))
    if unlisted:
        raise InputError(str(path), Message("error.csv.table_unlisted",
                                          table=excerpt(unlisted[0])))
    for name, table in snapshot.tables.items():
        table.options = found[name]
    snapshot.objects = snapshot.objects | {"options"}
