"""Column statements in an env's migration: before the table's index statements going up
(a missing index may need a missing column), after them in the rollback."""

from __future__ import annotations

from indexdrift.errors import IndexDriftError


def _statements(plan, table: str, diffs: list, findings: list, options):
    """(up, down, held) column statements of one table, by the target's flavor."""
    if plan.target.flavor in ("mysql", "mariadb"):
        from indexdrift.columns.ddl import column_statements
        return column_statements(table, diffs, drop_extra=options.drop_extra, schema=None)
    if plan.target.flavor == "postgresql":
        from indexdrift.columns import ddl_postgres
        base_table = findings[0].baseline_table
        baseline = base_table.columns if base_table is not None else None
        return ddl_postgres.column_statements(table, diffs, drop_extra=options.drop_extra,
                                              schema=plan.schema, target=plan.target,
                                              baseline=baseline)
    raise IndexDriftError(f"column migrations for {plan.target.flavor} are not written; "
                          "compare with --objects columns to see the drift")


def add_column_statements(script, plan, options) -> None:
    """Add the column statements of every table with column findings to ``script``."""
    from indexdrift.migrate.script import TableScript

    by_table: dict[str, list] = {}
    for finding in plan.findings:
        if finding.column is not None:
            by_table.setdefault(finding.table, []).append(finding)
    if not by_table:
        return
    existing = {t.table: t for t in script.tables}
    for table, findings in by_table.items():
        diffs = [f.column_diff for f in findings]
        up, down, held = _statements(plan, table, diffs, findings, options)
        found = existing.get(table)
        if found is None:
            found = existing[table] = TableScript(table, [], [], [])
            script.tables.append(found)
        found.up[:0] = up
        found.down.extend(down)
        found.held.extend(held)
        if plan.target.flavor == "postgresql" and (up or down):
            # golang-migrate writes PostgreSQL scripts with CONCURRENTLY step by step: the
            # columns are the table's first step (so the last one undone).
            found.steps.insert(0, (up, down))
    script.tables.sort(key=lambda t: (t.table.lower(), t.table))
