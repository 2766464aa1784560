"""One row per env and finding: the shape a spreadsheet's autofilter reads ("all dev
findings"), next to the matrix's one row per object.

``env | kind | [object] | table | name | baseline definition | env definition | changes |
action | note | statement | rollback``. The definitions, actions and notes are the
matrix's (build_matrix), so both layouts say the same thing; the statements are those
of the env's migration for the finding's table that name the object (all of the table's
for a whole table or its options), as ``indexdrift migrate`` writes them; none for a
waived finding, which migrate leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexdrift.compare.tables import Comparison, Finding
from indexdrift.core.i18n import Catalog
from indexdrift.report.matrix import Matrix, build_matrix
from indexdrift.report.objects import is_table_finding


@dataclass(slots=True)
class FindingRow:
    """One env's finding, with the texts of its cells."""

    env: str
    kind: str  # the catalog's label of the finding kind
    object_kind: str  # the catalog's label of what it is about (index, column...)
    table: str
    name: str
    baseline: str
    current: str
    changes: str
    action: str
    note: str
    statement: str = ""
    rollback: str = ""
    kind_code: str = ""  # the finding kind (missing, extra...): fills, filters


def finding_header(catalog: Catalog, show_kind: bool) -> list[str]:
    """The column labels of the per-finding layout."""
    lead = [catalog.t("col.env"), catalog.t("col.kind")]
    if show_kind:
        lead.append(catalog.t("col.object"))
    return [*lead, catalog.t("col.table"), catalog.t("col.name" if show_kind else "col.index"),
            catalog.t("col.baseline_definition"), catalog.t("col.env_definition"),
            catalog.t("col.changes"), catalog.t("col.action"), catalog.t("col.note"),
            catalog.t("col.statement"), catalog.t("col.rollback")]


def row_cells(row: FindingRow, show_kind: bool) -> list[str]:
    """The cells of one row, in ``finding_header``'s order."""
    lead = [row.env, row.kind] + ([row.object_kind] if show_kind else [])
    return [*lead, row.table, row.name, row.baseline, row.current, row.changes, row.action,
            row.note, row.statement, row.rollback]


_CHANGE_KEYS = {"columns": "column_change.", "foreign_keys": "fk_change.",
                "checks": "check_change."}


def change_text(finding: Finding, catalog: Catalog) -> str:
    """What differs, in the catalog's words (an option's own name when it has none)."""
    prefix = _CHANGE_KEYS.get(finding.object_kind, "change.")
    return ", ".join(catalog.t(prefix + c) if catalog.has(prefix + c) else c
                     for c in finding.changes)


def _names(finding: Finding) -> set[str]:
    """The names a statement about the finding's object carries."""
    found = {finding.index, finding.env_index_name, finding.column,
             getattr(finding, "constraint", None)}
    return {name.lower() for name in found if name}


def _by_table(statements: dict | None) -> dict[str, dict[str, tuple[list, list]]]:
    """Per env, per table: its migration statements (held ones too) and its rollback's."""
    found: dict[str, dict[str, tuple[list, list]]] = {}
    for env, entry in (statements or {}).items():
        script = getattr(entry, "script", None)
        if script is None:
            continue
        tables = found[env] = {}
        chain = [script]
        while chain[-1].later is not None:
            chain.append(chain[-1].later)
        for part in chain:
            for table in part.tables:
                ups, downs = tables.setdefault(table.table, ([], []))
                ups.extend(table.up + table.held)
                downs.extend(table.down)
    return found


def _statements_for(finding: Finding, tables: dict[str, dict[str, tuple[list, list]]]
                    ) -> tuple[str, str]:
    """The migration and rollback statements of the finding's table that name it."""
    if finding.waived or finding.env not in tables:
        return "", ""  # waived (migrate leaves it out), or no target known
    ups, downs = tables[finding.env].get(finding.table, ([], []))
    names = _names(finding)

    def naming(found: list) -> list:
        if is_table_finding(finding.kind) or not names:
            return found
        # Only statements that name the object: another object's would be a claim.
        return [s for s in found if any(n in s.sql.lower() for n in names)]

    return ("\n".join(s.render() for s in naming(ups)),
            "\n".join(s.render() for s in naming(downs)))


def build_finding_rows(comparison: Comparison, catalog: Catalog,
                       statements: dict | None = None,
                       matrix: Matrix | None = None) -> list[FindingRow]:
    """Every finding as a row, env by env (report order), in the matrix's order within."""
    matrix = matrix or build_matrix(comparison, catalog)
    tables = _by_table(statements)
    by_env: dict[str, list[FindingRow]] = {env: [] for env in matrix.envs}
    for row in matrix.rows:
        waived = {f.env for f in row.findings if f.waived}
        for finding, note in zip(row.findings, row.notes, strict=True):
            label = catalog.t(f"action.{row.actions[finding.env]}")
            if finding.env in waived:
                label = catalog.t("action.waived", action=label)
            changes = change_text(finding, catalog)
            up, down = _statements_for(finding, tables)
            by_env.setdefault(finding.env, []).append(FindingRow(
                finding.env, catalog.t("kind." + finding.kind),
                catalog.t("object." + row.object_kind), row.table,
                row.index if row.name is None else row.name, row.baseline_cell,
                row.cells[finding.env], changes, label, note, up, down, finding.kind))
    return [row for rows in by_env.values() for row in rows]
