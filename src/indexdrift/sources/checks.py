"""The one check every source's Snapshot passes before anything else sees it.

``check_snapshot`` refuses a NUL byte in any text of the snapshot (names of tables,
indexes, columns, foreign keys, comments, expressions, predicates, every other field): no
database object name or text holds one, and psql ends a line at it, which shifts the
quoting of everything after. It runs on what every reader returns (snapshot files, SQLite,
live servers, CSV files, and any reader added later), so no reader can forget it; the CSV
readers also refuse a NUL on their own, naming the file's line.

For sources that are files whose SQL text no server has vouched for (snapshots, SQLite
files), ``sql=True`` also checks every text a migration writes into DDL as it is: each
expression and predicate is one SQL expression (``sqlcells.expression_problem``: index
predicates and expressions, CHECK constraints, column defaults, ON UPDATE and generated
expressions), each bare name one name (operator classes, collations, character sets, a
FULLTEXT parser), each operator one operator, index types, engines and the word-valued
table options one word, and the foreign keys' ON DELETE / ON UPDATE / MATCH / DEFERRABLE
and the other enumerated fields only their allowed words. CSV readers check their cells
while reading, naming the line; the object checks (``object_problem``: CHECK expressions,
foreign-key words, table options, engines) run on every file source anyway, so a reader
that one day reads such objects from a CSV file cannot skip them.

The common case costs little: each text field is joined (in C) and searched once, and so
are the nested containers' texts where they are all of one kind (``_nul_in``: a usage
report's (table, index) keys, one per used index, were walked one by one, ~0.1 s per
10,000-table env); only when a NUL is there does a second, slow walk find which object
holds it.
"""

from __future__ import annotations

import dataclasses
import re
from itertools import chain
from operator import attrgetter, methodcaller

from indexdrift.core import registry as dialects
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.gcpause import gc_paused
from indexdrift.core.i18n import Message
from indexdrift.core.limits import excerpt, nul_message
from indexdrift.model.tables import Column, Index, KeyPart, Snapshot, Table
from indexdrift.sources.sqlcells import (
    MYSQL,
    expression_problem,
    name_problem,
    operator_problem,
    type_problem,
)

# The only words a migration writes for these fields (the readers normalise to them; the
# snapshot loader refuses others, naming the JSON path): pasted as they are, so a file
# must not choose anything else.
FK_ACTIONS = ("NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT")
FK_MATCHES = ("SIMPLE", "FULL", "PARTIAL")
DEFERRABLE = (None, "IMMEDIATE", "DEFERRED")
GENERATED = (None, "VIRTUAL", "STORED")
IDENTITIES = (None, "ALWAYS", "BY DEFAULT", "AUTOINCREMENT")  # SQLite: AUTOINCREMENT
# Table options written bare into DDL (ENGINE=, DEFAULT CHARSET=, COLLATE=, ROW_FORMAT=,
# SQLite's flags) and their rule; a comment is always a quoted literal.
_WORD = re.compile(r"\w+")
_WORD_OPTIONS = ("engine", "charset", "collation", "row_format")
_OPTION_WORDS = {"persistence": ("permanent", "unlogged", "temporary"), "without_rowid": ("0", "1"),
                 "strict": ("0", "1")}


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


_NO_TEXT = frozenset((int, bool, float, type(None)))


def _nul_in(value) -> bool:
    """``"\0" in "".join(_texts(value))``, with the containers' texts joined in C where
    they are all of one plain kind (a usage report's tens of thousands of (table, index)
    keys and counts); other values are walked as ``_texts`` walks them."""
    if isinstance(value, str):
        return "\0" in value
    if value is None or isinstance(value, bool | int | float):
        return False
    if isinstance(value, dict):
        return _nul_among(value.keys()) or _nul_among(value.values())
    if isinstance(value, tuple | list):
        return _nul_among(value)
    if dataclasses.is_dataclass(value):
        return any(_nul_in(getattr(value, f.name)) for f in dataclasses.fields(value))
    return "\0" in str(value)


def _nul_among(items) -> bool:
    """True when one of ``items`` holds a NUL (as ``_nul_in`` of each)."""
    items = list(items)
    kinds = set(map(type, items))
    if kinds <= _NO_TEXT:
        return False
    if kinds == {str}:
        return "\0" in "".join(items)
    if kinds == {tuple}:
        try:  # tuples of str: (table, index) keys
            return "\0" in "".join(chain.from_iterable(items))
        except TypeError:
            pass  # a tuple holding something else than str: item by item
    return any(map(_nul_in, items))


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
    return _nul_in(nested)


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


def _sql_dialect(flavor: str | None) -> str:
    """The sqlcells tokenizer of a flavor's SQL text (MySQL's when unknown)."""
    found = dialects.of_flavor(flavor)
    return found.sql_text if found is not None else MYSQL


_expression_problem = expression_problem  # cached there (sqlcells)


def _word_problem(text: str) -> str | None:
    return None if _WORD.fullmatch(text) else "is not one word (letters, digits, _)"


def _part_problem(part: KeyPart, dialect: str) -> tuple[str, str, str] | None:
    """(what, text, why) of the key part's first text a migration could not write."""
    checks = (("expression", part.expression, lambda t: _expression_problem(t, dialect)),
              ("operator class", part.opclass, name_problem),
              ("collation", part.collation, name_problem),
              ("operator", part.operator, operator_problem))
    for what, text, check in checks:
        if text is not None and (why := check(text)) is not None:
            return what, text, why
    return None


def _index_problem(index: Index, dialect: str) -> str | None:
    """The index's first text (predicate, type, parser, a key part's) that is not what
    the DDL takes, with why."""
    checks = (("predicate", index.predicate, lambda t: _expression_problem(t, dialect)),
              ("index type", index.index_type, _word_problem),
              ("parser", index.parser, name_problem))
    for what, text, check in checks:
        if text is not None and (why := check(text)) is not None:
            return f"the {what}: {excerpt(text)} {why}"
    for number, part in enumerate(index.parts, start=1):
        found = _part_problem(part, dialect)
        if found is not None:
            what, text, why = found
            return f"the key part {number} {what}: {excerpt(text)} {why}"
    return None


def _sql_problem(snapshot: Snapshot, indexes: list[Index],
                 parts: list[KeyPart]) -> str | None:
    """The first text of the snapshot a migration could not write into DDL as it is,
    located: index texts, then each table's objects (``object_problem``) and columns."""
    dialect = _sql_dialect(snapshot.flavor)
    # The common case (no index text at all, or only plain columns) walks nothing.
    if any(ix.predicate is not None or ix.parser is not None or ix.index_type != "BTREE"
           for ix in indexes) or any(
            p.expression is not None or p.opclass is not None or p.collation is not None
            or p.operator is not None for p in parts):
        for name, table in snapshot.tables.items():
            for index in table.indexes.values():
                problem = _index_problem(index, dialect)
                if problem is not None:
                    what, _, rest = problem.partition(":")
                    return f"{what} of index {excerpt(index.name)} on table {excerpt(name)}:{rest}"
    return object_problem(snapshot) or _columns_problem(snapshot)


def _choice_problem(value: str | None, allowed: tuple) -> str | None:
    if value in allowed:
        return None
    return "is not one of " + ", ".join("null" if a is None else a for a in allowed)


def _table_problem(table: Table, dialect: str) -> str | None:
    """The table's first check, foreign-key word, option or engine a migration could not
    write as it is, with why."""
    if table.engine is not None and (why := _word_problem(table.engine)) is not None:
        return f"the engine: {excerpt(table.engine)} {why}"
    for fk in table.foreign_keys:
        for field, allowed in (("on_delete", FK_ACTIONS), ("on_update", FK_ACTIONS),
                               ("match", FK_MATCHES), ("deferrable", DEFERRABLE)):
            value = getattr(fk, field)
            if (why := _choice_problem(value, allowed)) is not None:
                return (f"the {field.replace('_', ' ')} of foreign key {excerpt(fk.name)}: "
                        f"{excerpt(str(value))} {why}")
    for check in (table.checks or {}).values():
        if (why := _expression_problem(check.expression, dialect)) is not None:
            return f"the expression of check {excerpt(check.name)}: " \
                f"{excerpt(check.expression)} {why}"
    for key, value in (table.options or {}).items():
        why = (_word_problem(value) if key in _WORD_OPTIONS and value
               else _choice_problem(value, _OPTION_WORDS[key]) if key in _OPTION_WORDS
               else None)
        if why is not None:
            return f"the table option {excerpt(key)}: {excerpt(value)} {why}"
    return None


def object_problem(snapshot: Snapshot) -> str | None:
    """The first CHECK expression, foreign-key action / MATCH / DEFERRABLE word, table
    option or engine of the snapshot that a migration could not write into DDL as it is,
    located (None: all are safe). Cheap when a snapshot holds none of them."""
    dialect = _sql_dialect(snapshot.flavor)
    for name, table in snapshot.tables.items():
        if (table.engine is None and not table.foreign_keys and not table.checks
                and not table.options):
            continue  # nothing to check (an index file's tables: tens of thousands)
        problem = _table_problem(table, dialect)
        if problem is not None:
            what, _, rest = problem.partition(":")
            return f"{what} of table {excerpt(name)}:{rest}"
    return None


def _column_problem(column: Column) -> str | None:
    """The column's first SQL text, name or word a migration could not write, with why."""
    dialect = _sql_dialect(column.dialect)
    checks = [(field, getattr(column, field), lambda t: _expression_problem(t, dialect))
              for field in _COLUMN_SQL]
    # A SQLite column may have no declared type at all ("").
    checks += [("column_type", column.column_type,
                lambda t: type_problem(t, dialect) if t or column.dialect != "sqlite"
                else None),
               ("charset", column.charset, name_problem),
               ("collation", column.collation, name_problem)]
    for field, text, check in checks:
        if text is not None and (why := check(text)) is not None:
            return f"the {field.replace('_', ' ')}: {excerpt(text)} {why}"
    for field, allowed in (("generated", GENERATED), ("identity", IDENTITIES)):
        if (why := _choice_problem(getattr(column, field), allowed)) is not None:
            return f"the {field}: {excerpt(str(getattr(column, field)))} {why}"
    return None


_COLUMN_SQL = ("default", "on_update", "expression", "check")


def _columns_ok(columns: list[Column]) -> bool:
    """True when no column text needs a look: each distinct text is checked once, gathered
    in C (hundreds of thousands of columns repeat a few defaults, types and collations)."""
    dialects_of = list(map(attrgetter("dialect"), columns))
    for field in _COLUMN_SQL:
        pairs = set(zip(map(attrgetter(field), columns), dialects_of, strict=True))
        if any(text is not None and _expression_problem(text, _sql_dialect(dialect))
               for text, dialect in pairs):
            return False
    types = set(zip(map(attrgetter("column_type"), columns), dialects_of, strict=True))
    if any((text or dialect != "sqlite") and type_problem(text, _sql_dialect(dialect))
           for text, dialect in types):
        return False
    names = set(map(attrgetter("charset"), columns)) | set(map(attrgetter("collation"),
                                                               columns))
    if any(text is not None and name_problem(text) for text in names):
        return False
    return (set(map(attrgetter("generated"), columns)) <= set(GENERATED)
            and set(map(attrgetter("identity"), columns)) <= set(IDENTITIES))


def _columns_problem(snapshot: Snapshot) -> str | None:
    """The first column text of the snapshot a migration could not write, located."""
    columns = [c for t in snapshot.tables.values() if t.columns for c in t.columns.values()]
    if _columns_ok(columns):
        return None
    for name, table in snapshot.tables.items():
        for column in (table.columns or {}).values():
            problem = _column_problem(column)
            if problem is not None:
                what, _, rest = problem.partition(":")
                return f"{what} of column {excerpt(column.name)} of table {excerpt(name)}:{rest}"
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
            raise IndexDriftError(Message("error.env_source", env=env, source=snapshot.source,
                                          message=nul_message(holder)))
    if problem is not None:
        raise IndexDriftError(Message("error.env_source", env=env, source=snapshot.source,
                                      message=problem))
    return snapshot


def check_objects(snapshot: Snapshot, env: str) -> Snapshot:
    """Refuse a file's CHECK expression, foreign-key word, table option or engine that a
    migration could not write as it is (``object_problem``), naming the env, the source and
    the object: for the readers that check their own cells while reading (CSV files)."""
    problem = object_problem(snapshot)
    if problem is not None:
        raise IndexDriftError(Message("error.env_source", env=env, source=snapshot.source,
                                      message=problem))
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
                    raise IndexDriftError(Message(
                        "error.env_source", env=env, source=source, message=nul_message(
                            f"the {field.replace('_', ' ')} of column {excerpt(column.name)} "
                            f"of table {excerpt(table)}")))
    return tables
