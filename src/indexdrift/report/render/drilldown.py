"""What the HTML report's drill-down shows: each env's whole table and its statements.

A click on a drift row shows the row's table as every env has it (columns, indexes,
foreign keys, checks, options) side by side, and the statements ``indexdrift migrate``
writes for that table in each env, both directions. The texts travel as JSON with every
distinct line stored once, so 2,000 tables in four envs stay a few hundred kilobytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexdrift.compare.tables import Comparison
from indexdrift.core.i18n import Catalog
from indexdrift.ddl.script import EnvScript, dialect_for
from indexdrift.model.tables import Table
from indexdrift.report.columns import column_definition
from indexdrift.report.render.statements import EnvStatements


@dataclass(slots=True)
class LinePool:
    """Distinct lines, each stored once; a text is a list of their numbers."""

    lines: list[str] = field(default_factory=list)
    _numbers: dict[str, int] = field(default_factory=dict)

    def encode(self, lines: list[str]) -> list[int]:
        """The numbers of ``lines``, adding the new ones to the pool."""
        out = []
        for line in lines:
            number = self._numbers.get(line)
            if number is None:
                number = self._numbers[line] = len(self.lines)
                self.lines.append(line)
            out.append(number)
        return out


def table_lines(table: Table | None, catalog: Catalog) -> list[str]:
    """A table's definition as the drill-down lists it: a heading per object kind read,
    then one line per object (``name: definition``), in a stable order."""
    if table is None:
        return [catalog.t("cell.no_table")]
    lines: list[str] = []
    if table.columns is not None:
        lines.append(catalog.t("html.detail.columns"))
        lines += ["  " + column_definition(c) for c in
                  sorted(table.columns.values(), key=lambda c: c.position)]
    lines.append(catalog.t("html.detail.indexes"))
    lines += [f"  {ix.name}: {ix.definition()}" for ix in
              sorted(table.indexes.values(), key=lambda ix: (not ix.primary, ix.name_key))]
    if table.foreign_keys:
        lines.append(catalog.t("html.detail.foreign_keys"))
        lines += [f"  {fk.name}: {fk.definition()}" for fk in
                  sorted(table.foreign_keys, key=lambda fk: fk.name_key)]
    if table.checks:
        lines.append(catalog.t("html.detail.checks"))
        lines += [f"  {ck.name}: {ck.definition()}" for ck in
                  sorted(table.checks.values(), key=lambda ck: ck.name_key)]
    if table.options:
        lines.append(catalog.t("html.detail.options"))
        lines += [f"  {key} = {value}" for key, value in sorted(table.options.items())]
    return lines


def table_definitions(comparison: Comparison, tables: list[str], envs: list[str],
                      catalog: Catalog, pool: LinePool) -> dict[str, list[list[int]]]:
    """Per table name: its lines in every env of ``envs`` (baseline first), as pool numbers."""
    out = {}
    for name in tables:
        out[name] = [pool.encode(table_lines(comparison.snapshots[env].tables.get(name),
                                             catalog)) for env in envs]
    return out


def _table_chunks(script: EnvScript, direction: str) -> list[list]:
    """``[table, text, framed]`` per table, in the order the script runs them.

    The text is each statement as the env's script renders it (its notes, and the
    BEGIN/COMMIT around statements that replace each other where the script has no
    transaction of its own); ``framed``: 1 when the statements need the script's
    foreign-key frame (SQLite's table rebuild), which only the whole script has.
    """
    wrap = getattr(dialect_for(script.plan.target.flavor), "SCRIPT_TRANSACTION", False)
    up = direction == "up"
    chunks = []
    for table in script.tables if up else script.down_tables():
        parts: list[str] = []
        framed = 0
        for statement in (table.up + table.held if up else table.down):
            if statement.check_foreign_keys:
                framed = 1
            if not wrap and statement.opens_tx:
                parts.append("BEGIN;")
            parts.append(script.render_statement(statement))
            if not wrap and statement.closes_tx:
                parts.append("COMMIT;")
        if parts:
            chunks.append([table.table, "\n\n".join(parts), framed])
    return chunks


def statement_chunks(statements: dict[str, EnvStatements] | None) -> dict[str, dict]:
    """Per env with statements: its per-table migration and rollback texts (``up``,
    ``down``), ``wrap`` when its script is one transaction, ``staged`` when a second step
    follows (the selection script leaves that step to the env's whole migration)."""
    out: dict[str, dict] = {}
    for env, entry in (statements or {}).items():
        script = entry.script
        if script is None:
            continue
        wrap = getattr(dialect_for(script.plan.target.flavor), "SCRIPT_TRANSACTION", False)
        out[env] = {"up": _table_chunks(script, "up"), "down": _table_chunks(script, "down"),
                    "wrap": 1 if wrap else 0, "staged": 1 if script.later is not None else 0}
    return out
