"""PostgreSQL DDL of whole tables: CREATE TABLE from the model, DROP TABLE, RENAME.

``create_table_statements`` writes, each part through the writer the migrations already
use for it:

1. ``CREATE [UNLOGGED] TABLE "s"."t" (…)`` with the columns in column order
   (``columns_ddl.column_definition``), then the PRIMARY KEY, UNIQUE and EXCLUDE
   constraints (``ddl.key_constraint_clause`` / ``ddl.exclude_clause``: INCLUDE, NULLS NOT
   DISTINCT, storage parameters, DEFERRABLE, EXCLUDE's predicate) and the checks (``NO
   INHERIT``; ``NOT ENFORCED`` on PostgreSQL 18);
2. a check that is ``NOT VALID`` as ``ALTER TABLE … ADD CONSTRAINT … NOT VALID``: CREATE
   TABLE would accept the words and mark it valid;
3. a serial column the baseline has nullable: ``ALTER COLUMN … DROP NOT NULL`` (serial
   implies NOT NULL);
4. ``CREATE [UNIQUE] INDEX`` for every other index, not CONCURRENTLY: the table is new
   and empty, so every statement runs in the migration's transaction. An index the
   baseline has INVALID is not built (a failed build is not a definition);
5. ``COMMENT ON TABLE``, ``COMMENT ON COLUMN``, ``COMMENT ON INDEX``.

Foreign keys are added once every table they point at exists (``add_foreign_key_sql``).
Literals are ``quote_string`` / ``exact_literals`` (docs/security.md): the same meaning
under either ``standard_conforming_strings``, never a raw line break. In a schema other
than public the statements start with ``SET search_path TO "s", public``, as the column
statements do: the reader printed the schema's own types and sequences unqualified.
"""

from __future__ import annotations

from indexdrift.core.target import Target
from indexdrift.ddl.statement import Statement
from indexdrift.dialects.postgresql.columns_ddl import column_definition

# A foreign key is written one way, whether its table is created or altered.
from indexdrift.dialects.postgresql.constraints_ddl import foreign_key_sql
from indexdrift.dialects.postgresql.ddl import (
    comment_sql,
    create_index_sql,
    exact_literals,
    exclude_clause,
    key_constraint_clause,
    qualified,
    quote_ident,
    quote_string,
)
from indexdrift.model.tables import (
    CheckConstraint,
    Column,
    ForeignKey,
    Table,
)
from indexdrift.plan.notes import Note
from indexdrift.plan.table_ops import renamed

# The longest name a staged drop's holding table gets (plan.table_ops.holding_name): the
# server's NAMEDATALEN - 1 bytes.
MAX_HOLDING_NAME = 63


def cannot_create(table: Table) -> Note | None:
    """Why ``table`` cannot be created from the model (None when it can): its columns
    were not read, or it is partitioned (the model has no PARTITION BY)."""
    if not table.columns:
        return Note("migrate.table.no_columns", table=table.name)
    if table.engine == "partitioned":
        return Note("migrate.table.postgresql.partitioned", table=table.name)
    return None


def columns_of(table: Table) -> list[Column]:
    """The table's columns in column order (none when they were not read)."""
    return sorted((table.columns or {}).values(), key=lambda c: c.position)


def check_sql(check: CheckConstraint, target: Target) -> str:
    """``CONSTRAINT "n" CHECK (expr) [NO INHERIT] [NOT ENFORCED]`` (NOT VALID apart)."""
    text = f"CONSTRAINT {quote_ident(check.name)} CHECK ({exact_literals(check.expression)})"
    if check.no_inherit:
        text += " NO INHERIT"
    if not check.enforced and target.at_least("postgresql", 18):
        text += " NOT ENFORCED"
    return text


def create_table_sql(table: Table, schema: str | None, target: Target) -> str:
    """The ``CREATE TABLE`` statement of ``table``: columns and the constraints CREATE
    TABLE can carry (see the module)."""
    reason = cannot_create(table)
    if reason is not None:
        raise ValueError(str(reason))
    lines = [column_definition(c) for c in columns_of(table)]
    for index in table.indexes.values():
        if index.constraint == "x":
            lines.append(exclude_clause(index).removeprefix("ADD "))
        elif index.constraint in ("p", "u"):
            lines.append(key_constraint_clause(index).removeprefix("ADD "))
    lines += [check_sql(c, target) for c in (table.checks or {}).values() if c.valid]
    unlogged = (table.options or {}).get("persistence") == "unlogged"
    return (f"CREATE {'UNLOGGED ' if unlogged else ''}TABLE {qualified(schema, table.name)} "
            "(\n  " + ",\n  ".join(lines) + "\n);")


def create_table_statements(table: Table, *, schema: str | None, target: Target,
                            rollback: bool = False) -> list[Statement]:
    """The statements that create ``table`` as the model has it, its foreign keys left
    out (``add_foreign_key_sql`` adds them once their parents exist). ``rollback``: the
    table is re-created by a rollback, whose note says its rows are not restored."""
    name = qualified(schema, table.name)
    notes = [Note("migrate.table.recreated", table=table.name)] if rollback else []
    out = [Statement(create_table_sql(table, schema, target), table.name, notes)]

    def add(sql: str, notes: list[str] | None = None, commented: bool = False) -> None:
        out.append(Statement(sql, table.name, notes or [], commented=commented))

    for check in (table.checks or {}).values():
        if not check.valid:
            add(f"ALTER TABLE {name} ADD {check_sql(check, target)} NOT VALID;")
    columns = columns_of(table)
    for column in columns:
        if column.auto_increment and column.nullable and not column.identity:
            add(f"ALTER TABLE {name} ALTER COLUMN {quote_ident(column.name)} DROP NOT NULL;")
    for index in table.indexes.values():
        if index.constraint not in ("p", "u", "x"):  # a constraint's is built with it
            if not index.valid:
                add("", [Note("migrate.postgresql.invalid_not_recreated", index=index.name)],
                    commented=True)
                continue
            add(create_index_sql(index, schema, False))
        if index.comment:
            add(comment_sql(schema, index.name, index.comment))
    comment = (table.options or {}).get("comment")
    if comment:
        add(f"COMMENT ON TABLE {name} IS {quote_string(comment)};")
    for column in columns:
        if column.comment:
            add(f"COMMENT ON COLUMN {name}.{quote_ident(column.name)} IS "
                f"{quote_string(column.comment)};")
    if schema and schema != "public":
        out.insert(0, Statement(f"SET search_path TO {quote_ident(schema)}, public;",
                                table.name))
    return out


def add_foreign_key_sql(fk: ForeignKey, *, schema: str | None) -> str:
    """``ALTER TABLE "s"."child" ADD CONSTRAINT "n" FOREIGN KEY …;``."""
    return f"ALTER TABLE {qualified(schema, fk.table)} ADD {foreign_key_sql(fk, schema)};"


def drop_table_statements(table: Table, *, schema: str | None) -> list[Statement]:
    """``DROP TABLE "s"."t";`` under the data-loss warning (no CASCADE: a view or a
    foreign key of a table the migration keeps makes it fail rather than go too)."""
    return [Statement(f"DROP TABLE {qualified(schema, table.name)};", table.name,
                      [Note("migrate.table.drop_warning", table=table.name)])]


def rename_table_statement(old: str, new: str, *, schema: str | None) -> Statement:
    """``ALTER TABLE "s"."old" RENAME TO "new";`` (its indexes and constraints keep their
    names: PostgreSQL names them per schema, not per table)."""
    return Statement(f"ALTER TABLE {qualified(schema, old)} RENAME TO {quote_ident(new)};",
                     old)


# PostgreSQL's NAMEDATALEN - 1: the longest name it keeps (in bytes).
_MAX_NAME = 63


def _clip(name: str, size: int) -> str:
    """The first ``size`` bytes of ``name``, cut at a character boundary (pg_mbcliplen)."""
    return name.encode()[:size].decode("utf-8", "ignore")


def sequence_name(table: str, column: str) -> str:
    """The name PostgreSQL gives the sequence of a serial or identity column when the
    table is created (``<table>_<column>_seq``, the longer part cut first when it does
    not fit: makeObjectName in its catalog code)."""
    one, two = len(table.encode()), len(column.encode())
    room = _MAX_NAME - len("_seq") - 1
    while one + two > room:
        if one > two:
            one -= 1
        else:
            two -= 1
    return f"{_clip(table, one)}_{_clip(column, two)}_seq"


def rename_table_statements(old: str, new: str, table: Table, *,
                            schema: str | None) -> list[Statement]:
    """``rename_table_statement``, then the sequences the table's serial and identity
    columns own renamed as a table created under ``new`` would name them (``ALTER
    SEQUENCE IF EXISTS``: a sequence named otherwise, which the reader does not know, is
    left alone). A staged drop's holding table is then what its rollback re-creates, and
    renaming it back gives the sequences their names again."""
    out = [rename_table_statement(old, new, schema=schema)]
    for column in columns_of(table):
        if column.auto_increment or column.identity:
            out.append(Statement(
                f"ALTER SEQUENCE IF EXISTS {qualified(schema, sequence_name(old, column.name))}"
                f" RENAME TO {quote_ident(sequence_name(new, column.name))};", old))
    return out


def renamed_table(table: Table, new: str, *, target: Target) -> Table:
    """``table`` as the server has it after ``ALTER TABLE … RENAME TO`` ``new``: every
    index and constraint keeps its name (PostgreSQL names them per schema)."""
    return renamed(table, new)
