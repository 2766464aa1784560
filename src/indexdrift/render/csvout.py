"""CSV output: the drift matrix as a spreadsheet-friendly file (UTF-8 with BOM for Excel)."""

from __future__ import annotations

import csv
import io

from indexdrift.compare import Comparison
from indexdrift.i18n import Catalog
from indexdrift.matrix import build_matrix


def render_csv(comparison: Comparison, catalog: Catalog) -> str:
    """Render the matrix as CSV; the BOM makes Excel read Korean text correctly.

    Targets that could not be read follow the findings as rows with an empty index cell.
    """
    matrix = build_matrix(comparison, catalog)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([catalog.t("col.index"), catalog.t("col.table"),
                     catalog.t("col.definition", env=matrix.baseline),
                     *(catalog.t("col.definition", env=e) for e in matrix.envs),
                     catalog.t("col.action"), catalog.t("col.note")])
    for row in matrix.rows:
        writer.writerow([row.index, row.table, row.baseline_cell,
                         *(row.cells[e] for e in matrix.envs),
                         row.action_text(catalog), "; ".join(row.notes)])
    # Unread targets go last, one row each, so a spreadsheet of a partial run says so
    # (an empty index cell tells a script these rows are not findings).
    blanks = [""] * (3 + len(matrix.envs))
    for env, cause in comparison.incomplete.items():
        writer.writerow([*blanks, catalog.t("heading.incomplete"),
                         catalog.t("incomplete.line", env=env, cause=cause)])
    return "\ufeff" + out.getvalue()
