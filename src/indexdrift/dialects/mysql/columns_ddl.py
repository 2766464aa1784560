"""Column statements for MySQL/MariaDB: one ALTER TABLE per table and direction.

Renders the planner's column operations (migrate.ops): up, clauses in baseline column
order (ADD … AFTER, MODIFY/CHANGE with the full baseline definition, AFTER when the position
differs), then drops of extra columns (planned only with ``--drop-extra``). Down renders
the inverse operations: the env's own definitions in the env's order. A generated column
turned from VIRTUAL to STORED or back is dropped and added again (MODIFY refuses it).
"""

from __future__ import annotations

import re

from indexdrift.core.target import Target
from indexdrift.ddl.statement import Statement
from indexdrift.dialects.mysql.literals import default_literal, pinned_statements, quote_string
from indexdrift.model.column_text import literal_value
from indexdrift.model.tables import Column
from indexdrift.plan.notes import Note
from indexdrift.plan.ops import AddColumn, ColumnOperation, DropColumn, TablePlan

_PLAIN_DEFAULT = re.compile(r"^(NULL|CURRENT_TIMESTAMP(\(\d*\))?|-?\d+(\.\d+)?([eE][-+]?\d+)?|"
                            r"'.*'|b'[01]*'|0x[0-9a-fA-F]+)$", re.DOTALL)


def quote_ident(name: str) -> str:
    """A backtick-quoted identifier (an embedded backtick doubled)."""
    return "`" + name.replace("`", "``") + "`"


def _default_sql(value: str, column_type: str) -> str:
    # A string is written in a form exact under any sql_mode; other literals and
    # CURRENT_TIMESTAMP go as they are; any other expression needs (…).
    text = literal_value(value)
    if text is not None:
        return default_literal(text, column_type)
    return value if _PLAIN_DEFAULT.match(value) else f"({value})"


def column_definition(col: Column) -> str:
    """The full column definition as MODIFY/ADD COLUMN take it."""
    parts = [quote_ident(col.name), col.column_type]
    if col.charset:
        parts.append(f"CHARACTER SET {col.charset}")
    if col.collation:
        parts.append(f"COLLATE {col.collation}")
    if col.generated:
        parts.append(f"GENERATED ALWAYS AS ({col.expression}) {col.generated}")
    if not (col.generated and col.nullable):
        # MariaDB takes no NULL / NOT NULL after a generation clause (and never reports a
        # NOT NULL generated column); MySQL's generated columns are nullable by default.
        parts.append("NULL" if col.nullable else "NOT NULL")
    if col.default is not None and not col.generated:
        parts.append(f"DEFAULT {_default_sql(col.default, col.column_type)}")
    if col.auto_increment:
        parts.append("AUTO_INCREMENT")
    if col.on_update:
        parts.append(f"ON UPDATE {col.on_update}")
    if col.comment:
        parts.append(f"COMMENT {quote_string(col.comment)}")
    if col.check:
        # MariaDB: the column's own CHECK (JSON's json_valid) goes with its definition, or
        # MODIFY/CHANGE drop it; it comes last, after COMMENT.
        parts.append(f"CHECK ({col.check})")
    return " ".join(parts)


def _position(after: str | None) -> str:
    return f" AFTER {quote_ident(after)}" if after else " FIRST"


def switches_generation(current: Column, target: Column) -> bool:
    """True when a generated column turns from VIRTUAL to STORED or back: MODIFY and CHANGE
    refuse that ("This is not yet supported for generated columns")."""
    return bool(current.generated and target.generated and current.generated != target.generated)


def _redefine(target: Column, current: Column, after: str | None, move: bool) -> list[str]:
    if switches_generation(current, target):
        # Dropped and added again in the same ALTER TABLE: the generated values are
        # computed anew (nothing is lost), and MariaDB keeps the indexes on the column,
        # which find it again by name; ADD puts it back where the target has it.
        return [f"DROP COLUMN {quote_ident(current.name)}",
                f"ADD COLUMN {column_definition(target)}{_position(after)}"]
    where = _position(after) if move else ""
    if target.name != current.name:
        return [f"CHANGE COLUMN {quote_ident(current.name)} {column_definition(target)}{where}"]
    return [f"MODIFY COLUMN {column_definition(target)}{where}"]


def _alter(table: str, clauses: list[str], notes: list[str]) -> list[Statement]:
    sql = f"ALTER TABLE {quote_ident(table)}\n  " + ",\n  ".join(clauses) + ";"
    return pinned_statements(Statement(sql, table, notes))


def _clauses(ops: list[ColumnOperation], *, rollback: bool) -> tuple[list[str], list[str]]:
    """The ALTER TABLE clauses of column operations, and the notes of the statement.

    Going up they stay in the plan's order (baseline column order, drops last). The
    rollback (the inverse operations, reversed) drops the added columns first, in the
    order they were added, then restores the others in the env's column order, so every
    AFTER names a column that is already in place.
    """
    if rollback:
        drops = [op for op in reversed(ops) if isinstance(op, DropColumn)]
        rest = sorted((op for op in ops if not isinstance(op, DropColumn)),
                      key=lambda op: (op.column if isinstance(op, AddColumn)
                                      else op.target).position)
        ops = [*drops, *rest]
    clauses: list[str] = []
    notes: list[str] = []
    for op in ops:
        if isinstance(op, AddColumn):
            clauses.append(f"ADD COLUMN {column_definition(op.column)}{_position(op.after)}")
        elif isinstance(op, DropColumn):
            clauses.append(f"DROP COLUMN {quote_ident(op.column.name)}")
            if not rollback:
                notes.append(Note("migrate.column.drop_warning", column=op.column.name))
        else:
            clauses += _redefine(op.target, op.current, op.after, op.move)
            if switches_generation(op.current, op.target):
                notes.append(Note("migrate.column.generated_recreated", column=op.target.name,
                                  kind=op.target.generated))
    return clauses, notes


def column_clauses(ops: list[ColumnOperation], *, rollback: bool
                   ) -> tuple[list[str], list[str]]:
    """The ALTER TABLE clauses of column operations and the notes of their statement, for
    a statement that holds the table's other clauses too (ddl.table_statements);
    ``rollback``: the ops are the inverse of the planned ones."""
    return _clauses(ops, rollback=rollback)


def column_statements(plan: TablePlan, *, schema: str | None = None,
                      target: Target | None = None
                      ) -> tuple[list[Statement], list[Statement], list[Statement]]:
    """(up, down, held) statements of the table's column steps: one ALTER TABLE each way
    (down: the inverse of the plan), and the held drops commented out.

    ``schema`` and ``target`` are what every database's column DDL is given
    (ddl/script.column_statements); MySQL's statements need neither: like the index
    statements they name no schema, a script runs in the one it was made for.
    """
    up: list[Statement] = []
    down: list[Statement] = []
    for step in plan.column_steps:
        clauses, notes = _clauses(step.ops, rollback=False)  # type: ignore[arg-type]
        up += _alter(plan.table, clauses, notes) if clauses else []
        clauses, notes = _clauses(step.inverse().ops, rollback=True)  # type: ignore[arg-type]
        down += _alter(plan.table, clauses, notes) if clauses else []
    held: list[Statement] = []
    for kept in plan.column_held:
        for op in kept.step.ops:
            name = op.column.name  # type: ignore[union-attr]
            held.append(Statement(
                f"ALTER TABLE {quote_ident(plan.table)} DROP COLUMN {quote_ident(name)};",
                plan.table, [Note("migrate.column.kept", column=name)], commented=True))
    return up, down, held
