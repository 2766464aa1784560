"""The drift matrix teams keep by hand: one row per index that differs anywhere.

``index | table | <baseline> definition | <env> definition ... | action | note``.
This module shapes data only; renderers turn it into a terminal table, Markdown, CSV...
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexdrift.compare.tables import (
    CHANGED,
    COLUMN_EXTRA,
    COLUMN_MOVED,
    EXTRA,
    MISSING,
    RENAMED,
    TABLE_EXTRA,
    TABLE_MISSING,
    Comparison,
    Finding,
)
from indexdrift.core.i18n import Catalog
from indexdrift.evidence.text import usage_phrase
from indexdrift.model.tables import Index, Table
from indexdrift.report.columns import column_cell, column_note, moves_columns

ACTIONS = {MISSING: "ADD", EXTRA: "DROP", RENAMED: "RENAME", TABLE_MISSING: "REVIEW",
           TABLE_EXTRA: "REVIEW"}


ACTIONS.update({"column_missing": "ADD", "column_extra": "DROP", "column_changed": "MODIFY",
                "column_moved": "MODIFY"})


def action_for(finding: Finding) -> str:
    """The action code: ADD, DROP, REBUILD, RENAME, VISIBILITY or REVIEW (tables)."""
    if finding.kind == CHANGED:
        return "VISIBILITY" if finding.changes == ["visibility"] else "REBUILD"
    return ACTIONS[finding.kind]


def note_for(finding: Finding, baseline: str, catalog: Catalog) -> str:
    """A one-line note in the catalog's language, with usage evidence when it was read."""
    if finding.column is not None:
        return column_note(finding, baseline, catalog)
    note = _kind_note(finding, baseline, catalog)
    if finding.usage is not None or finding.baseline_usage is not None:
        name = finding.env_index_name or finding.index
        for ev in (finding.usage, finding.baseline_usage):
            if ev is not None:
                note += "; " + usage_phrase(ev, finding.env, name, catalog)
    if finding.waived:
        note += "; " + catalog.t("note.waived", reason=finding.waived)
    return note


def _kind_note(finding: Finding, baseline: str, catalog: Catalog) -> str:
    env = finding.env
    changes = ", ".join(catalog.t(f"change.{c}") for c in finding.changes if c != "name")
    if finding.kind == MISSING:
        return catalog.t("note.missing", env=env, baseline=baseline)
    if finding.kind == EXTRA:
        return catalog.t("note.extra", env=env)
    if finding.kind == CHANGED:
        return catalog.t("note.changed", env=env, changes=changes)
    if finding.kind == RENAMED:
        name = finding.env_index_name
        if changes:
            return catalog.t("note.renamed_with", env=env, name=name, changes=changes)
        return catalog.t("note.renamed", env=env, name=name)
    if finding.kind == TABLE_MISSING:
        count = len(finding.baseline_table.indexes) if finding.baseline_table else 0
        return catalog.t("note.table_missing", env=env, baseline=baseline, count=count)
    count = len(finding.env_table.indexes) if finding.env_table else 0
    return catalog.t("note.table_extra", env=env, count=count)


@dataclass(slots=True)
class MatrixRow:
    """One row: an index (or a whole table) and what each env has for it."""

    table: str
    index: str
    baseline_cell: str
    cells: dict[str, str]  # env -> definition text
    actions: dict[str, str] = field(default_factory=dict)  # env -> action code
    notes: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def action_text(self, catalog: Catalog) -> str:
        """One action when every env agrees, else ``env: action`` pairs."""
        labels = {env: catalog.t(f"action.{code}") for env, code in self.actions.items()}
        waived = {f.env for f in self.findings if f.waived}
        labels = {env: catalog.t("action.waived", action=label) if env in waived else label
                  for env, label in labels.items()}
        if len(set(labels.values())) == 1:
            return next(iter(labels.values()))
        return "; ".join(f"{env}: {label}" for env, label in labels.items())


@dataclass(slots=True)
class Matrix:
    """Rows plus the column order: baseline first, then the other envs."""

    baseline: str
    envs: list[str]
    rows: list[MatrixRow]


def _definition(index: Index | None, catalog: Catalog, name_differs: bool = False) -> str:
    if index is None:
        return catalog.t("cell.absent")
    if name_differs:
        return catalog.t("cell.named", name=index.name, definition=index.definition())
    return index.definition()


def _table_summary(table: Table | None, catalog: Catalog) -> str:
    if table is None:
        return catalog.t("cell.no_table")
    return ", ".join(sorted(ix.name for ix in table.indexes.values())) or catalog.t("cell.absent")


def _add_column_row(rows: dict[tuple[str, str, str], MatrixRow], finding: Finding,
                    comparison: Comparison, catalog: Catalog) -> None:
    """Put a column finding into the matrix rows (one row per table and column)."""
    flavour = "extra" if finding.kind == COLUMN_EXTRA else "base"
    key = (finding.table, "\x00column:" + finding.column.lower(), flavour)
    row = rows.get(key)
    diff = finding.column_diff
    assert diff is not None and finding.column is not None
    if row is None:
        label = catalog.t("column.label", column=finding.column)
        row = rows[key] = MatrixRow(finding.table, label, column_cell(diff.baseline, catalog), {})
    row.cells[finding.env] = column_cell(diff.current, catalog)
    action = action_for(finding)
    if finding.kind == COLUMN_MOVED and not moves_columns(diff.current):
        action = "REVIEW"  # nothing is generated: its database (PostgreSQL) cannot move a column
    row.actions[finding.env] = action
    row.notes.append(note_for(finding, comparison.baseline, catalog))
    row.findings.append(finding)


def build_matrix(comparison: Comparison, catalog: Catalog) -> Matrix:
    """Group findings into rows keyed by (table, index), in a stable order."""
    rows: dict[tuple[str, str, str], MatrixRow] = {}
    for f in comparison.findings:
        if f.column is not None:
            _add_column_row(rows, f, comparison, catalog)
            continue
        if f.kind in (TABLE_MISSING, TABLE_EXTRA):
            key = (f.table, "", f.kind)
            index_label = "*"
        else:
            # name_key: lower-cased, except PostgreSQL's case-sensitive names
            named = f.baseline or f.current
            key = (f.table, named.name_key if named else (f.index or "").lower(),
                   "extra" if f.kind == EXTRA else "base")
            index_label = f.index or ""
        row = rows.get(key)
        if row is None:
            if f.kind == TABLE_MISSING:
                base_cell = _table_summary(f.baseline_table, catalog)
            elif f.kind == TABLE_EXTRA:
                base_cell = catalog.t("cell.no_table")
            elif f.kind == EXTRA:
                base_cell = catalog.t("cell.absent")
            else:
                base_cell = _definition(f.baseline, catalog)
            row = rows[key] = MatrixRow(f.table, index_label, base_cell, {})
        if f.kind == TABLE_MISSING:
            cell = catalog.t("cell.no_table")
        elif f.kind == TABLE_EXTRA:
            cell = _table_summary(f.env_table, catalog)
        else:
            cell = _definition(f.current, catalog, name_differs=f.kind == RENAMED)
        row.cells[f.env] = cell
        row.actions[f.env] = action_for(f)
        row.notes.append(note_for(f, comparison.baseline, catalog))
        row.findings.append(f)
    # Envs without a finding in a row hold what the baseline holds there.
    for (table, _, flavour), row in rows.items():
        for env in comparison.envs:
            if env in row.cells:
                continue
            if flavour in ("extra", TABLE_EXTRA):
                snapshot_table = comparison.snapshots[env].tables.get(table)
                row.cells[env] = (catalog.t("cell.no_table") if snapshot_table is None
                                  else catalog.t("cell.absent"))
            elif flavour == TABLE_MISSING:
                row.cells[env] = _table_summary(comparison.snapshots[env].tables.get(table),
                                                catalog)
            else:
                row.cells[env] = row.baseline_cell
        row.cells = {env: row.cells[env] for env in comparison.envs}
    rank = {TABLE_MISSING: 0, TABLE_EXTRA: 0, "base": 1, "extra": 2}
    ordered = sorted(rows.items(), key=lambda kv: (kv[0][0].lower(), kv[0][0], rank[kv[0][2]],
                                                   kv[0][1]))
    return Matrix(comparison.baseline, comparison.envs, [row for _, row in ordered])
