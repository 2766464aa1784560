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
from indexdrift.evidence.text import decides_drop, usage_phrase
from indexdrift.model.tables import Index, Table
from indexdrift.report import objects
from indexdrift.report.columns import column_cell, column_note, moves_columns

ACTIONS = {MISSING: "ADD", EXTRA: "DROP", RENAMED: "RENAME", TABLE_MISSING: "REVIEW",
           TABLE_EXTRA: "REVIEW"}


# Whole tables when --objects compares tables (migrate creates them, drops them with
# --drop-extra).
TABLE_ACTIONS = {TABLE_MISSING: "CREATE", TABLE_EXTRA: "DROP"}
ACTIONS.update({"column_missing": "ADD", "column_extra": "DROP", "column_changed": "MODIFY",
                "column_moved": "MODIFY"})


def action_for(finding: Finding, tables: bool = False) -> str:
    """The action code: ADD, DROP, REBUILD, RENAME, VISIBILITY, MODIFY (columns), CHANGE
    (table options); a whole table CREATE or DROP when ``tables`` (--objects compares
    tables: migrate creates and drops them), else REVIEW."""
    if tables and finding.kind in TABLE_ACTIONS:
        return TABLE_ACTIONS[finding.kind]
    if finding.kind in objects.ACTIONS:
        return objects.ACTIONS[finding.kind]
    if finding.kind == CHANGED:
        return "VISIBILITY" if finding.changes == ["visibility"] else "REBUILD"
    return ACTIONS[finding.kind]


def note_for(finding: Finding, baseline: str, catalog: Catalog, tables: bool = False) -> str:
    """A one-line note in the catalog's language, with usage evidence when it was read
    and decides a drop (an index only the env has; an env without counters is said once in
    the summary, not here) (``tables``: --objects compares tables, see action_for)."""
    if finding.column is not None:
        return column_note(finding, baseline, catalog)
    if tables and finding.kind in TABLE_ACTIONS:
        return _table_note(finding, baseline, catalog)
    note = (objects.note(finding, baseline, catalog) if objects.is_constraint(finding)
            else _kind_note(finding, baseline, catalog))
    if decides_drop(finding):
        name = finding.env_index_name or finding.index
        for ev in (finding.usage, finding.baseline_usage):
            if ev is not None and not ev.unavailable:
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


def _table_note(finding: Finding, baseline: str, catalog: Catalog) -> str:
    """The note of a whole table migrate creates or drops, waiver included."""
    key = "note.table_create" if finding.kind == TABLE_MISSING else "note.table_drop"
    note = catalog.t(key, env=finding.env, baseline=baseline)
    if finding.waived:
        note += "; " + catalog.t("note.waived", reason=finding.waived)
    return note


def tables_compared(comparison: Comparison) -> bool:
    """True when the run's --objects compares tables (migrate creates and drops them)."""
    return "tables" in getattr(comparison, "objects", frozenset())


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
    # A column's, foreign key's or check's own name: what the name cell shows next to the
    # object column (``index`` is the label that names the object on its own).
    name: str | None = None

    @property
    def object_kind(self) -> str:
        """What the row is about, as --objects names it (indexes, columns, tables...)."""
        return self.findings[0].object_kind

    def lead(self, matrix: Matrix, catalog: Catalog) -> list[str]:
        """The cells before the definitions: [object kind,] name, table."""
        if not matrix.show_kind:
            return [self.index, self.table]
        return [catalog.t("object." + self.object_kind),
                self.index if self.name is None else self.name, self.table]

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
    # The object column (index, column, foreign key...) is shown when the findings are of
    # several object kinds, or of one that is neither indexes nor columns; an index-only
    # or column-only run keeps the layout it always had.
    show_kind: bool = False

    def header(self, catalog: Catalog) -> list[str]:
        """The column labels: [object, name | index], table, definitions, action, note."""
        return matrix_header(self.baseline, self.envs, self.show_kind, catalog)


def matrix_header(baseline: str, envs: list[str], show_kind: bool,
                  catalog: Catalog) -> list[str]:
    """The matrix's column labels (``Matrix.header``)."""
    lead = ([catalog.t("col.object"), catalog.t("col.name")] if show_kind
            else [catalog.t("col.index")])
    return [*lead, catalog.t("col.table"), catalog.t("col.definition", env=baseline),
            *(catalog.t("col.definition", env=e) for e in envs),
            catalog.t("col.action"), catalog.t("col.note")]


def shows_object_kind(findings: list[Finding]) -> bool:
    """True when a report of these findings needs its object column (see Matrix)."""
    kinds = {f.object_kind for f in findings if not objects.is_table_finding(f.kind)}
    return len(kinds) > 1 or bool(kinds - {"indexes", "columns"})


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
        row = rows[key] = MatrixRow(finding.table, label, column_cell(diff.baseline, catalog), {},
                                    name=finding.column)
    row.cells[finding.env] = column_cell(diff.current, catalog)
    action = action_for(finding)
    if finding.kind == COLUMN_MOVED and not moves_columns(diff.current):
        action = "REVIEW"  # nothing is generated: its database (PostgreSQL) cannot move a column
    row.actions[finding.env] = action
    row.notes.append(note_for(finding, comparison.baseline, catalog))
    row.findings.append(finding)


def _add_constraint_row(rows: dict[tuple[str, str, str], MatrixRow], finding: Finding,
                        comparison: Comparison, catalog: Catalog) -> None:
    """Put a foreign-key, CHECK or table-option finding into the matrix rows (one row per
    table and object; extra objects on rows of their own, like extra indexes)."""
    flavour = "extra" if finding.kind in objects.EXTRA_KINDS else "base"
    key = (finding.table, objects.row_key(finding), flavour)
    row = rows.get(key)
    if row is None:
        row = rows[key] = MatrixRow(finding.table, objects.row_label(finding, catalog),
                                    objects.baseline_cell(finding, catalog), {},
                                    name=finding.constraint or None)
    row.cells[finding.env] = objects.env_cell(finding, catalog)
    row.actions[finding.env] = action_for(finding)
    row.notes.append(note_for(finding, comparison.baseline, catalog))
    row.findings.append(finding)


def _unchanged_cell(comparison: Comparison, row: MatrixRow, env: str, flavour: str,
                    catalog: Catalog) -> str:
    """The cell of an env without a finding in a foreign-key, CHECK or option row: what the
    baseline has, unless the env has no such table or its source did not read the kind."""
    if comparison.snapshots[env].tables.get(row.table) is None:
        return catalog.t("cell.no_table")
    if not objects.read_here(comparison.snapshots, comparison.baseline, env, row.object_kind):
        return catalog.t("cell.not_read")
    return catalog.t("cell.absent") if flavour == "extra" else row.baseline_cell


# Within a table: indexes, columns and whole tables as always, then foreign keys, checks
# and options.
_GROUPS = {"foreign_keys": 1, "checks": 2}


def _group(row: MatrixRow) -> int:
    first = row.findings[0]
    if not objects.is_constraint(first):
        return 0
    return _GROUPS.get(first.object_kind, 3)


def build_matrix(comparison: Comparison, catalog: Catalog) -> Matrix:
    """Group findings into rows keyed by (table, index), in a stable order."""
    rows: dict[tuple[str, str, str], MatrixRow] = {}
    for f in comparison.findings:
        if f.column is not None:
            _add_column_row(rows, f, comparison, catalog)
            continue
        if objects.is_constraint(f):
            _add_constraint_row(rows, f, comparison, catalog)
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
        row.actions[f.env] = action_for(f, tables_compared(comparison))
        row.notes.append(note_for(f, comparison.baseline, catalog,
                                  tables_compared(comparison)))
        row.findings.append(f)
    # Envs without a finding in a row hold what the baseline holds there.
    for (table, _, flavour), row in rows.items():
        for env in comparison.envs:
            if env in row.cells:
                continue
            if objects.is_constraint(row.findings[0]):
                row.cells[env] = _unchanged_cell(comparison, row, env, flavour, catalog)
            elif flavour in ("extra", TABLE_EXTRA):
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
    ordered = sorted(rows.items(), key=lambda kv: (kv[0][0].lower(), kv[0][0], _group(kv[1]),
                                                   rank[kv[0][2]], kv[0][1]))
    return Matrix(comparison.baseline, comparison.envs, [row for _, row in ordered],
                  shows_object_kind(comparison.findings))
