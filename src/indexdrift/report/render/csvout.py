"""CSV output: one row per env and finding (``--csv-layout findings``, the default: env,
kind, table, index, both definitions, changes, action, note, statement, rollback, so an
autofilter on env shows all of an env's findings), or the drift matrix (``--csv-layout
matrix``: one row per object, one column per env, the layout before). UTF-8 with a BOM
for Excel.

Every cell goes through ``spreadsheet_text``: a name, definition or cause that starts
like a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets a leading ``'``
(OWASP's advice against CSV injection), so Excel and LibreOffice show it as text instead
of evaluating it. A cell that already starts with ``'`` gets one too, so the rule reads
back without guessing: strip one leading ``'`` from any cell that has it. (The index and
column files ``export`` writes keep the catalog views' shape and read back exactly; its
foreign-key, check and table files use the same rule: core/csvcells.py.)
"""

from __future__ import annotations

import csv
import io

from indexdrift.compare.tables import Comparison
from indexdrift.core.csvcells import (  # noqa: F401 (re-exported: reports' readers)
    FORMULA_STARTS,
    original_text,
    spreadsheet_text,
)
from indexdrift.core.i18n import Catalog
from indexdrift.report.findingrows import build_finding_rows, finding_header, row_cells
from indexdrift.report.matrix import build_matrix
from indexdrift.report.render.fleetinfo import fleet_lines

LAYOUTS = ("findings", "matrix")


def render_csv(comparison: Comparison, catalog: Catalog, statements: dict | None = None,
               layout: str = "findings") -> str:
    """Render the findings (or, ``layout="matrix"``, the matrix) as CSV; the BOM makes
    Excel read Korean text correctly.

    Targets that could not be read, and each fleet's target count, follow the findings as
    rows with an empty index cell.
    """
    matrix = build_matrix(comparison, catalog)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")

    def write(cells: list[str]) -> None:
        writer.writerow([spreadsheet_text(cell) for cell in cells])

    if layout == "matrix":
        header = matrix.header(catalog)
        write(header)
        for row in matrix.rows:
            write([*row.lead(matrix, catalog), row.baseline_cell,
                   *(row.cells[e] for e in matrix.envs), row.action_text(catalog),
                   "; ".join(row.notes)])
    else:
        header = finding_header(catalog, matrix.show_kind)
        write(header)
        for found in build_finding_rows(comparison, catalog, statements, matrix):
            write(row_cells(found, matrix.show_kind))
    # Unread targets go last, one row each, so a spreadsheet of a partial run says so: the
    # first cell empty (not a finding), the heading and the line in the last two cells, in
    # either layout.
    blanks = [""] * (len(header) - 2)
    for env, cause in comparison.incomplete.items():
        write([*blanks, catalog.t("heading.incomplete"),
               catalog.t("incomplete.line", env=env, cause=cause)])
    for line in fleet_lines(comparison, catalog):
        write([*blanks, catalog.t("heading.fleets"), line])
    return "\ufeff" + out.getvalue()
