"""Column statements for MySQL/MariaDB: one ALTER TABLE per table and direction.

Up: clauses in baseline column order (ADD … AFTER, MODIFY/CHANGE with the full baseline
definition, AFTER when the position differs), then drops of extra columns (only with
``drop_extra``). Down restores the env's own definitions in the env's order.
"""

from __future__ import annotations

import re

from indexdrift.columns.compare import ColumnDiff
from indexdrift.columns.normalize import literal_value
from indexdrift.ddl.mysql import default_literal, pinned_statements, quote_string
from indexdrift.ddl.statement import Statement
from indexdrift.kinds import COLUMN_CHANGED, COLUMN_EXTRA, COLUMN_MISSING, COLUMN_MOVED
from indexdrift.migrate.notes import Note
from indexdrift.model import Column

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
    return " ".join(parts)


def _position(after: str | None) -> str:
    return f" AFTER {quote_ident(after)}" if after else " FIRST"


def _redefine(target: Column, current: Column, after: str | None, move: bool) -> str:
    where = _position(after) if move else ""
    if target.name != current.name:
        return f"CHANGE COLUMN {quote_ident(current.name)} {column_definition(target)}{where}"
    return f"MODIFY COLUMN {column_definition(target)}{where}"


def _alter(table: str, schema: str | None, clauses: list[str],
           notes: list[str]) -> list[Statement]:
    name = quote_ident(table) if not schema else f"{quote_ident(schema)}.{quote_ident(table)}"
    sql = f"ALTER TABLE {name}\n  " + ",\n  ".join(clauses) + ";"
    return pinned_statements(Statement(sql, table, notes))


def column_statements(table: str, diffs: list[ColumnDiff], *, drop_extra: bool,
                      schema: str | None = None
                      ) -> tuple[list[Statement], list[Statement], list[Statement]]:
    """(up, down, held) statements that make the table's columns match the baseline."""
    up: list[str] = []
    down_drop: list[str] = []
    down_fix: list[tuple[int, str]] = []
    held: list[Statement] = []
    up_notes: list[str] = []
    for d in diffs:  # already in baseline column order, extras last
        if d.kind == COLUMN_MISSING:
            up.append(f"ADD COLUMN {column_definition(d.baseline)}{_position(d.after_baseline)}")
            down_drop.append(f"DROP COLUMN {quote_ident(d.baseline.name)}")
        elif d.kind in (COLUMN_CHANGED, COLUMN_MOVED):
            move = "position" in d.changes
            up.append(_redefine(d.baseline, d.current, d.after_baseline, move))
            down_fix.append((d.current.position,
                             _redefine(d.current, d.baseline, d.after_env, move)))
        elif d.kind == COLUMN_EXTRA:
            drop = f"DROP COLUMN {quote_ident(d.current.name)}"
            if drop_extra:
                up.append(drop)
                up_notes.append(Note("migrate.column.drop_warning", column=d.current.name))
                down_fix.append((d.current.position, f"ADD COLUMN "
                                 f"{column_definition(d.current)}{_position(d.after_env)}"))
            else:
                held.append(Statement(
                    f"ALTER TABLE {quote_ident(table)} {drop};", table,
                    [Note("migrate.column.kept", column=d.current.name)], commented=True))
    up_statements = _alter(table, schema, up, up_notes) if up else []
    down_clauses = down_drop + [c for _, c in sorted(down_fix, key=lambda p: p[0])]
    down_statements = _alter(table, schema, down_clauses, []) if down_clauses else []
    return up_statements, down_statements, held
