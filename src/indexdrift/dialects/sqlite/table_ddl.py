"""SQLite DDL of whole tables: CREATE TABLE from the model, DROP TABLE, RENAME.

``create_table_statements`` writes one ``CREATE TABLE`` and a ``CREATE INDEX`` for each
index the table does not own:

- the columns in column order (``columns_ddl.column_definition``; the rowid's alias as
  ``INTEGER PRIMARY KEY [AUTOINCREMENT]`` in its definition);
- the PRIMARY KEY and UNIQUE constraints in the order of their ``sqlite_autoindex_<t>_<n>``
  numbers, which SQLite gives in the order it reads the constraints: the copy's indexes
  get the baseline's names;
- the CHECK constraints, each at table level (SQLite enforces a column's CHECK alike); one
  whose name is the one the reader makes up for an unnamed check is written unnamed;
- the foreign keys, inline: SQLite has no ``ADD CONSTRAINT``, and it lets a table name a
  parent that does not exist yet (foreign keys are checked when rows change), so a table
  is created with its keys whatever the order of creation. One named as the reader names
  an unnamed key is written unnamed;
- ``WITHOUT ROWID`` and ``STRICT`` (``Table.options``).

A table read from a SQLite file comes with its stored texts (``sqlite_schema``, exactly
what the model is): those are written as stored instead, so a created table's text is the
baseline's and a rollback's the env's own; one that is not exactly one statement
(``catalog.statement_text``) is written from the model.

Not in the model, so not written: ``ON CONFLICT`` clauses, a virtual table's module. SQLite
takes the statements in a transaction (the plain layout wraps the script in one).
"""

from __future__ import annotations

import re
from dataclasses import replace

from indexdrift.core.target import Target
from indexdrift.ddl.statement import Statement
from indexdrift.dialects.sqlite.catalog import check_name, foreign_key_name, statement_text
from indexdrift.dialects.sqlite.columns_ddl import column_definition
from indexdrift.dialects.sqlite.quoting import create_index_sql, key_part_sql, quote_ident
from indexdrift.model.tables import ForeignKey, Index, SchemaObject, Table
from indexdrift.plan.notes import Note
from indexdrift.plan.table_ops import renamed

_AUTOINDEX_NUMBER = re.compile(r"_(\d+)$")
# The longest name a staged drop's holding table gets (plan.table_ops.holding_name):
# SQLite has no limit; this one keeps names readable and like the other databases'.
MAX_HOLDING_NAME = 64
# create_table_statements takes a table's stored texts (ddl/script.py).
WRITES_STORED_TEXTS = True


def cannot_create(table: Table) -> Note | None:
    """Why ``table`` cannot be created from the model (None when it can): its columns
    were not read (a virtual table's never are)."""
    if not table.columns:
        return Note("migrate.table.no_columns", table=table.name)
    return None


def _autoindex_number(index: Index) -> int:
    found = _AUTOINDEX_NUMBER.search(index.name)
    return int(found.group(1)) if found else 0


def _key_sql(index: Index) -> str:
    kind = "PRIMARY KEY" if index.primary else "UNIQUE"
    return f"{kind} (" + ", ".join(key_part_sql(p) for p in index.parts) + ")"


def foreign_key_sql(fk: ForeignKey) -> str:
    """``[CONSTRAINT "n"] FOREIGN KEY ("a") REFERENCES "p" ("id") [ON DELETE …] [ON UPDATE
    …] [DEFERRABLE INITIALLY DEFERRED]``."""
    text = ("" if fk.name == foreign_key_name(fk.table, fk.columns)
            else f"CONSTRAINT {quote_ident(fk.name)} ")
    text += ("FOREIGN KEY (" + ", ".join(quote_ident(c) for c in fk.columns)
             + f") REFERENCES {quote_ident(fk.ref_table or '')}")
    if fk.ref_columns:
        text += " (" + ", ".join(quote_ident(c) for c in fk.ref_columns) + ")"
    if fk.on_delete != "NO ACTION":
        text += f" ON DELETE {fk.on_delete}"
    if fk.on_update != "NO ACTION":
        text += f" ON UPDATE {fk.on_update}"
    if fk.deferrable == "DEFERRED":
        text += " DEFERRABLE INITIALLY DEFERRED"
    return text


def _inline_key(table: Table, keys: list[Index]) -> Index | None:
    """The primary key that must stay in its column's definition: one ``INTEGER`` column
    ``DESC`` in a rowid table, which SQLite makes the rowid's alias when written as a
    table constraint (and a key index of its own only in the column's definition)."""
    if (table.options or {}).get("without_rowid") == "1":
        return None
    for index in keys:
        part = index.parts[0]
        column = (table.columns or {}).get((part.column or "").lower())
        if index.primary and len(index.parts) == 1 and part.descending and column \
                is not None and column.column_type.upper() == "INTEGER":
            return index
    return None


def _inline_unique(index: Index, table: Table) -> str | None:
    """The column an UNIQUE index of one plain part can be written on (its collation is
    then the column's), else None."""
    part = index.parts[0]
    column = (table.columns or {}).get((part.column or "").lower())
    if index.primary or len(index.parts) != 1 or part.descending or column is None \
            or (part.collation or None) != (column.collation or None):
        return None
    return column.name_key


def create_table_sql(table: Table) -> str:
    """The ``CREATE TABLE`` statement of ``table`` (see the module)."""
    reason = cannot_create(table)
    if reason is not None:
        raise ValueError(str(reason))
    columns = sorted((table.columns or {}).values(), key=lambda c: c.position)
    by_key = {c.name_key: c for c in columns}
    keys = sorted((ix for ix in table.indexes.values() if ix.constraint in ("p", "u")),
                  key=_autoindex_number)
    inline: dict[str, list[str]] = {}
    pk = _inline_key(table, keys)
    if pk is not None:
        # SQLite numbers the key indexes in the order it reads them, column definitions
        # first: those numbered before the key go in the definitions of earlier columns.
        # (in the columns' order, before the key's column), as far as they can be.
        at = by_key[(pk.parts[0].column or "").lower()].position
        last = 0
        for index in keys[:keys.index(pk)]:
            column = _inline_unique(index, table)
            if column is None or not last < by_key[column].position < at:
                break
            last = by_key[column].position
            inline.setdefault(column, []).append("UNIQUE")
            keys.remove(index)
        inline.setdefault((pk.parts[0].column or "").lower(), []).append("PRIMARY KEY DESC")
        keys.remove(pk)
    lines = [" ".join([column_definition(c), *inline.get(c.name_key, [])]) for c in columns]
    lines += [_key_sql(ix) for ix in keys]
    for check in (table.checks or {}).values():
        name = ("" if check.name == check_name(table.name, check.expression)
                else f"CONSTRAINT {quote_ident(check.name)} ")
        lines.append(f"{name}CHECK ({check.expression})")
    lines += [foreign_key_sql(fk) for fk in table.foreign_keys]
    options = table.options or {}
    tail = [word for word, key in (("WITHOUT ROWID", "without_rowid"), ("STRICT", "strict"))
            if options.get(key) == "1"]
    return (f"CREATE TABLE {quote_ident(table.name)} (\n  " + ",\n  ".join(lines) + "\n)"
            + (" " + ", ".join(tail) if tail else "") + ";")


def create_table_statements(table: Table, *, schema: str | None = None, target: Target,
                            rollback: bool = False,
                            texts: tuple[SchemaObject, ...] = ()) -> list[Statement]:
    """The statements that create ``table`` as the model has it, foreign keys included
    (see the module); ``texts``: its stored definitions, written as stored. ``rollback``:
    the table is re-created by a rollback, whose note says its rows are not restored.
    ``schema`` and ``target`` are what every database's table DDL is given; SQLite's
    statements need neither."""
    notes = [Note("migrate.table.recreated", table=table.name)] if rollback else []
    stored = {(o.kind, o.name.lower()): text for o in texts
              if (text := statement_text(o.sql)) is not None}
    out = [Statement(stored.get(("table", table.name.lower())) or create_table_sql(table),
                     table.name, notes)]
    out += [Statement(stored.get(("index", ix.name.lower())) or create_index_sql(ix),
                      table.name) for ix in table.indexes.values()
            if ix.constraint not in ("p", "u")]
    return out


def drop_table_statements(table: Table, *, schema: str | None = None) -> list[Statement]:
    """``DROP TABLE "t";`` under the data-loss warning (its indexes go with it)."""
    return [Statement(f"DROP TABLE {quote_ident(table.name)};", table.name,
                      [Note("migrate.table.drop_warning", table=table.name)])]


def rename_table_statement(old: str, new: str, *, schema: str | None = None) -> Statement:
    """``ALTER TABLE "old" RENAME TO "new";`` (SQLite 3.26+ also rewrites the foreign keys
    of other tables that name it, unless ``legacy_alter_table`` is on)."""
    return Statement(f"ALTER TABLE {quote_ident(old)} RENAME TO {quote_ident(new)};", old)


def renamed_table(table: Table, new: str, *, target: Target | None = None) -> Table:
    """``table`` as it reads after ``ALTER TABLE … RENAME TO`` ``new``: its constraint
    indexes become ``sqlite_autoindex_<new>_<n>`` (SQLite renames them), and the names
    the reader makes up for unnamed checks and foreign keys follow the table's."""
    out = renamed(table, new)
    head = f"sqlite_autoindex_{table.name}_"
    indexes = {}
    for index in out.indexes.values():
        if index.constraint in ("p", "u") and index.name.startswith(head):
            index = replace(index, name=f"sqlite_autoindex_{new}_{index.name[len(head):]}")
        indexes[index.name_key] = index
    keys = tuple(replace(fk, name=foreign_key_name(new, fk.columns))
                 if fk.name == foreign_key_name(table.name, fk.columns) else fk
                 for fk in out.foreign_keys)
    checks = out.checks
    if checks is not None:
        moved = [replace(c, name=check_name(new, c.expression))
                 if c.name == check_name(table.name, c.expression) else c
                 for c in checks.values()]
        checks = {c.name_key: c for c in sorted(moved, key=lambda c: c.name_key)}
    return replace(out, indexes=indexes, foreign_keys=tuple(sorted(keys, key=lambda k:
                                                                   k.name_key)),
                   checks=checks)
