"""SQLite column definitions (what reports show and CREATE TABLE is made of).

Column changes are written as part of a table rebuild (plan/rebuild.py, rebuild_ddl.py):
its ALTER TABLE adds, renames and drops a column with restrictions and changes none. So
the column writer is only asked for the column drops the plan holds back (their data).
"""

from __future__ import annotations

import re

from indexdrift.core.errors import IndexDriftError
from indexdrift.core.target import Target
from indexdrift.ddl.statement import Statement
from indexdrift.dialects.sqlite.columns import default_sql
from indexdrift.dialects.sqlite.quoting import quote_ident
from indexdrift.model.tables import Column
from indexdrift.plan.notes import Note
from indexdrift.plan.ops import DropColumn, TablePlan

_BARE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def collation_sql(name: str) -> str:
    """A collation name as written after COLLATE: bare when it is a plain word (as SQLite
    prints them: ``NOCASE``), else quoted."""
    return name if _BARE.fullmatch(name) else quote_ident(name)


def column_definition(col: Column) -> str:
    """``"c" type [PRIMARY KEY [AUTOINCREMENT]] [NOT NULL] [DEFAULT …] [COLLATE …]
    [GENERATED ALWAYS AS (expr) VIRTUAL|STORED]``: the rowid's alias (``auto_increment``)
    is declared ``PRIMARY KEY`` in its definition, the one way to make a column it."""
    parts = [quote_ident(col.name)]
    if col.column_type:
        parts.append(col.column_type)
    if col.auto_increment:
        parts.append("PRIMARY KEY")
        if col.identity == "AUTOINCREMENT":
            parts.append("AUTOINCREMENT")
    if not col.nullable:
        parts.append("NOT NULL")
    if col.default is not None and col.default != "NULL" and not col.generated:
        parts.append(f"DEFAULT {default_sql(col.default)}")
    if col.collation:
        parts.append(f"COLLATE {collation_sql(col.collation)}")
    if col.generated:
        parts.append(f"GENERATED ALWAYS AS ({col.expression}) {col.generated}")
    return " ".join(parts)


def column_statements(plan: TablePlan, *, schema: str | None = None,
                      target: Target | None = None
                      ) -> tuple[list[Statement], list[Statement], list[Statement]]:
    """No statements (the rebuild makes the column changes, see the module): the held
    column drops, as commented-out notes. A column step left to this writer is an error:
    the planner gives every one to a rebuild or holds it."""
    if plan.column_steps:
        raise IndexDriftError("column migrations for sqlite are written only as a table "
                              "rebuild; compare with --objects all to plan one")
    held = [Statement(f"ALTER TABLE {quote_ident(plan.table)} DROP COLUMN "
                      f"{quote_ident(op.column.name)};", plan.table,
                      [Note("migrate.column.kept", column=op.column.name)], commented=True)
            for kept in plan.column_held for op in kept.step.ops if isinstance(op, DropColumn)]
    return [], [], held
