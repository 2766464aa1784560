"""Column statements in an env's migration: before the table's index statements going up
(a missing index may need a missing column), after them in the rollback."""

from __future__ import annotations

from indexdrift.columns.ddl import column_statements
from indexdrift.errors import IndexDriftError


def add_column_statements(script, plan, options) -> None:
    """Add the column statements of every table with column findings to ``script``."""
    from indexdrift.migrate.script import TableScript

    by_table: dict[str, list] = {}
    for finding in plan.findings:
        if finding.column is not None:
            by_table.setdefault(finding.table, []).append(finding.column_diff)
    if not by_table:
        return
    if plan.target.flavor not in ("mysql", "mariadb"):
        raise IndexDriftError(f"column migrations for {plan.target.flavor} are not written yet; "
                              "compare with --objects columns to see the drift")
    existing = {t.table: t for t in script.tables}
    for table, diffs in by_table.items():
        up, down, held = column_statements(table, diffs, drop_extra=options.drop_extra,
                                           schema=None)
        found = existing.get(table)
        if found is None:
            found = existing[table] = TableScript(table, [], [], [])
            script.tables.append(found)
        found.up[:0] = up
        found.down.extend(down)
        found.held.extend(held)
    script.tables.sort(key=lambda t: (t.table.lower(), t.table))
