"""The one check every source's Snapshot passes before anything else sees it.

``check_snapshot`` refuses a NUL byte in any text of the snapshot (names of tables,
indexes, columns, foreign keys, comments, expressions, predicates, every other field): no
database object name or text holds one, and psql ends a line at it, which shifts the
quoting of everything after. It runs on what every reader returns (snapshot files, SQLite,
live servers, CSV files, and any reader added later), so no reader can forget it; the CSV
readers also refuse a NUL on their own, naming the file's line.

For sources that are files whose SQL text no server has vouched for (snapshots, SQLite
files), ``sql=True`` also checks each expression and predicate is one SQL expression
(``sqlcells.expression_problem``); CSV readers check theirs while reading, naming the line.

The common case costs little: each text field is joined (in C) and searched once; only
when a NUL is there does a second, slow walk find which object holds it.
"""

from __future__ import annotations

import dataclasses
from itertools import chain
from operator import attrgetter, methodcaller

from indexdrift.core import registry as dialects
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.gcpause import gc_paused
from indexdrift.core.limits import excerpt, nul_message
from indexdrift.model.tables import Column, Index, KeyPart, Snapshot, Table
from indexdrift.sources.sqlcells import MYSQL, expression_problem


def _fields(cls, text: bool) -> tuple[str, ...]:
    """The fields of a model class that hold one text (``text``), or that hold texts in
    tuples, dicts or objects (not ``text``); flags and numbers are neither."""
    plain = ("str", "str | None")
    return tuple(f.name for f in dataclasses.fields(cls)
                 if (f.type in plain) == text
                 and f.type not in ("bool", "int", "int | None", "bool | None"))


_INDEX_TEXT = _fields(Index, True)
_INDEX_OTHER = tuple(f for f in _fields(Index, False) if f != "parts")
_PART_TEXT = _fields(KeyPart, True)
_TABLE_TEXT = _fields(Table, True)
# Columns are checked by check_columns as they are read (naming the column).
_TABLE_OTHER = tuple(f for f in _fields(Table, False) if f not in ("indexes", "columns"))
_SNAPSHOT_FIELDS = tuple(f for f in _fields(Snapshot, True) + _fields(Snapshot, False)
                         if f != "tables")
_INDEX_FIELDS = _INDEX_TEXT + _INDEX_OTHER
_TABLE_FIELDS = _TABLE_TEXT + _TABLE_OTHER


def _texts(value) -> list[str]:
    """Every str inside ``value`` (str, tuples, lists, dicts' keys and values, model
    objects), flattened."""
    if isinstance(value, str):
        return [value]
    if value is None or isinstance(value, bool | int | float):
        return []
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in (*_texts(k), *_texts(v))]
    if isinstance(value, tuple | list):
        return [t for item in value for t in _texts(item)]
    if dataclasses.is_dataclass(value):
        return [t for f in dataclasses.fields(value) for t in _texts(getattr(value, f.name))]
    return [str(value)]


def _objects(snapshot: Snapshot) -> tuple[list[Table], list[Index], list[KeyPart]]:
    tables = list(snapshot.tables.values())
    indexes = list(chain.from_iterable(map(methodcaller("values"),
                                           map(attrgetter("indexes"), tables))))
    return tables, indexes, list(chain.from_iterable(map(attrgetter("parts"), indexes)))


def _has_nul(snapshot: Snapshot, tables: list[Table], indexes: list[Index],
             parts: list[KeyPart]) -> bool:
    """True when a text of the snapshot holds a NUL.

    Each text field is gathered and joined in C, field by field (``filter`` drops the
    Nones); the fields holding tuples, dicts or objects are walked only where they are not
    empty, which is rare.
    """
    groups = ((_INDEX_TEXT, indexes), (_PART_TEXT, parts), (_TABLE_TEXT, tables))
    if "\0" in "".join(snapshot.tables) or any(
            "\0" in "".join(filter(None, map(attrgetter(field), objects)))
            for fields, objects in groups for field in fields):
        return True
    nested = [value for fields, objects in ((_INDEX_OTHER, indexes), (_TABLE_OTHER, tables))
              for field in fields for value in filter(None, map(attrgetter(field), objects))]
    nested += [getattr(snapshot, field) for field in _SNAPSHOT_FIELDS]
    return "\0" in "".join(_texts(nested))


def _nul_holder(snapshot: Snapshot) -> str | None:
    """Which object of the snapshot holds the NUL (slow; only after ``_has_nul``)."""
    for field in _SNAPSHOT_FIELDS:
        if "\0" in "".join(_texts(getattr(snapshot, field))):
            return f"the snapshot's {field}"
    for name, table in snapshot.tables.items():
        where = f"table {excerpt(name)}"
        if "\0" in name:
            return f"the name of {where}"
        for index in table.indexes.values():
            at = f"index {excerpt(index.name)} on {where}"
            for field in _INDEX_FIELDS:
                if "\0" in "".join(_texts(getattr(index, field))):
                    return f"the {field.replace('_', ' ')} of {at}"
            for number, part in enumerate(index.parts, start=1):
                if "\0" in "".join(_texts(part)):
                    return f"key part {number} of {at}"
        for field in _TABLE_FIELDS:
            if "\0" in "".join(_texts(getattr(table, field))):
                return f"the {field.replace('_', ' ')} of {where}"
    return None


def _sql_problem(snapshot: Snapshot, indexes: list[Index],
                 parts: list[KeyPart]) -> str | None:
    """The first expression or predicate that is not one SQL expression, located."""
    found = dialects.of_flavor(snapshot.flavor)
    dialect = found.sql_text if found is not None else MYSQL
    texts = set(filter(None, map(attrgetter("predicate"), indexes)))
    texts.update(filter(None, map(attrgetter("expression"), parts)))
    bad = {text for text in texts if expression_problem(text, dialect) is not None}
    if not bad:
        return None
    for name, table in snapshot.tables.items():
        for index in table.indexes.values():
            at = f"index {excerpt(index.name)} on table {excerpt(name)}"
            found = [("predicate", index.predicate)] + [
                (f"key part {n} expression", p.expression)
                for n, p in enumerate(index.parts, start=1)]
            for what, text in found:
                if text in bad:
                    return f"the {what} of {at}: {excerpt(text)} " \
                        f"{expression_problem(text, dialect)}"
    return None


def check_snapshot(snapshot: Snapshot, env: str, *, sql: bool = False) -> Snapshot:
    """Refuse a snapshot holding a NUL byte anywhere (and, with ``sql``, an expression or
    predicate that is not one SQL expression), naming the env, the source and the object."""
    with gc_paused():  # as while reading: large lists, no cycles
        tables, indexes, parts = _objects(snapshot)
        found = _has_nul(snapshot, tables, indexes, parts)
        problem = _sql_problem(snapshot, indexes, parts) if sql else None
    if found:
        holder = _nul_holder(snapshot)
        if holder is not None:
            raise IndexDriftError(f"env {env}: {snapshot.source}: " + nul_message(holder))
    if problem is not None:
        raise IndexDriftError(f"env {env}: {snapshot.source}: {problem}")
    return snapshot


def check_columns(tables: dict, env: str, source: str) -> dict:
    """Refuse column definitions (``{table: {key: Column}}``, as the column readers return
    them) holding a NUL byte anywhere, naming the env, the source, the table and column."""
    fields = _fields(Column, True)
    columns = list(chain.from_iterable(map(methodcaller("values"), tables.values())))
    texts = "".join(map(str, chain(tables, chain.from_iterable(
        map(attrgetter(*fields), columns)))))
    if "\0" not in texts:
        return tables
    for table, found in tables.items():
        for column in found.values():
            for field in fields:
                value = getattr(column, field)
                if "\0" in table or (isinstance(value, str) and "\0" in value):
                    raise IndexDriftError(
                        f"env {env}: {source}: " + nul_message(
                            f"the {field.replace('_', ' ')} of column {excerpt(column.name)} "
                            f"of table {excerpt(table)}"))
    return tables
