"""SQLite DDL for planned steps: ``CREATE INDEX`` / ``DROP INDEX``, all transactional.

SQLite has no RENAME INDEX (the planner turns a rename into a replacement: drop + create)
and no index comments. Indexes of PRIMARY KEY / UNIQUE constraints (``sqlite_autoindex_*``)
are never touched here: only a table rebuild changes them (``RebuildTable``, written by
rebuild_ddl.py).
The plain layout wraps the whole script in BEGIN/COMMIT (see ``SCRIPT_TRANSACTION``).
"""

from __future__ import annotations

from indexdrift.core.target import Target
from indexdrift.ddl import held
from indexdrift.ddl.statement import Statement
from indexdrift.dialects.sqlite.quoting import create_index_sql, key_part_sql, quote_ident
from indexdrift.dialects.sqlite.rebuild_ddl import rebuild_statements, script_frame
from indexdrift.model.tables import Index
from indexdrift.plan.notes import Note
from indexdrift.plan.ops import AddIndex, DropIndex, ReplaceIndex, Step, TablePlan
from indexdrift.plan.rebuild import RebuildTable

# Re-exported: the quoting helpers have always been reached here, and the script frame
# of a table rebuild (PRAGMA foreign_keys around the transaction) is the ddl module's.
__all__ = ["create_index_sql", "key_part_sql", "quote_ident", "script_frame"]

# The script itself runs in one transaction (BEGIN ... COMMIT) where no tool provides one.
SCRIPT_TRANSACTION = True


def unique_precheck(index: Index) -> str:
    """A query listing the duplicates that would make the unique build fail."""
    exprs = [quote_ident(p.column) if p.column is not None else f"({p.expression})"
             for p in index.parts]
    cols = ", ".join(exprs)
    conditions = [f"{e} IS NOT NULL" for e in exprs]
    if index.predicate:
        conditions.append(f"({index.predicate})")
    return (f"SELECT {cols}, count(*) AS duplicates FROM {quote_ident(index.table)} WHERE "
            + " AND ".join(conditions) + f" GROUP BY {cols} HAVING count(*) > 1 LIMIT 10;")


def drop_statement(index: Index, plan: TablePlan) -> Statement:
    """``DROP INDEX "n";``."""
    return Statement(f"DROP INDEX {quote_ident(index.name)};", plan.table)


def create_statement(index: Index, plan: TablePlan, prechecks: bool) -> Statement:
    """``CREATE [UNIQUE] INDEX ...;``, a unique one with its duplicates pre-check."""
    notes: list[str] = []
    if prechecks and index.unique:
        notes = [Note("migrate.sqlite.precheck", index=index.name),
                 "  " + unique_precheck(index)]
    return Statement(create_index_sql(index), plan.table, notes)


def step_statements(step: Step, plan: TablePlan, prechecks: bool) -> list[Statement]:
    """The statements of one step, in order (a replacement: drop the old index, create
    the new one)."""
    out: list[Statement] = []
    for op in step.ops:
        if isinstance(op, DropIndex):
            out.append(drop_statement(op.index, plan))
        elif isinstance(op, AddIndex):
            out.append(create_statement(op.index, plan, prechecks))
        elif isinstance(op, ReplaceIndex):
            out += [drop_statement(op.old, plan), create_statement(op.new, plan, prechecks)]
        elif isinstance(op, RebuildTable):
            out += rebuild_statements(op, undo=step.undo)
        else:
            raise ValueError(f"SQLite cannot {type(op).__name__}")
    return out


def table_statements(plan: TablePlan, steps: list[Step], target: Target, *, online: bool,
                     schema: str | None, large_table_bytes: int,
                     prechecks: bool) -> list[Statement]:
    """Statements for ``steps`` of one table, in order."""
    return [s for step in steps for s in step_statements(step, plan, prechecks)]


def held_statements(plan: TablePlan, target: Target, *, online: bool) -> list[Statement]:
    """Commented-out statements (with their reason) for steps that are held back."""
    return held.held_statements(plan, "sqlite", lambda step: "\n".join(
        s.sql for s in step_statements(step, plan, False)))
