"""Held-back steps as commented-out statements, the same way for every dialect.

The reasons' texts live in the catalogs (``migrate.held.<dialect>.<why>``); a dialect only
says which catalog section is its own and how to write a held step's SQL.
"""

from __future__ import annotations

from collections.abc import Callable

from indexdrift.ddl.statement import Statement
from indexdrift.plan.notes import Note, has_text, held_note
from indexdrift.plan.ops import Held, Step, TablePlan


def held_reason(held: Held, dialect: str) -> str:
    """The reason of a held step as a Note of ``migrate.held.<dialect>.<why>``; a reason
    without a catalog text is shown as its key."""
    key = f"migrate.held.{dialect}.{held.why}"
    return Note(key, detail=held.detail) if has_text(key) else held.why


def held_statements(plan: TablePlan, dialect: str,
                    step_sql: Callable[[Step], str]) -> list[Statement]:
    """Commented-out statements, with their reason, for the steps ``plan`` holds back.

    Only an extra index that is merely not dropped by default shows its statement (from
    ``step_sql``), ready to be used; refused and unsupported steps show just the reason.
    """
    out: list[Statement] = []
    for held in plan.held:
        note = held_note(held.step.reason, held.step.index_name, held_reason(held, dialect))
        sql = step_sql(held.step) if held.why == "extra_not_dropped" else ""
        out.append(Statement(sql, plan.table, [note], commented=True))
    return out
