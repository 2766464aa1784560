"""The default terminal table (rich), in the layout teams already keep.

Names, definitions and causes come from the databases read: they are shown as plain
text (never rich markup, so ``[/bold]`` in a name is just text) with control characters
spelled out (``\\x1b``), so a hostile name cannot restyle or retitle the terminal.
"""

from __future__ import annotations

import io
import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

from indexdrift.compare.tables import Comparison
from indexdrift.core.i18n import Catalog
from indexdrift.report.lint import advisory_text
from indexdrift.report.matrix import build_matrix
from indexdrift.report.render.fleetinfo import fleet_lines
from indexdrift.report.render.markdown import incomplete_lines, summary_lines

# C0 and C1 controls but the line feed (notes are joined with it), and DEL.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def plain(text: str) -> Text:
    """``text`` as a rich Text: no markup, controls shown as ``\\xNN``."""
    return Text(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text))


_STYLES = {"ADD": "green", "DROP": "red", "REBUILD": "yellow", "RENAME": "cyan",
           "VISIBILITY": "magenta", "REVIEW": "bold red", "CHANGE": "yellow"}


def build_table(comparison: Comparison, catalog: Catalog) -> Table | None:
    """The rich Table of the drift matrix, or None when there is no drift."""
    matrix = build_matrix(comparison, catalog)
    if not matrix.rows:
        return None
    table = Table(show_lines=False, header_style="bold", expand=False)
    header = matrix.header(catalog)
    action = len(header) - 2  # the action column does not fold
    for number, label in enumerate(header):
        table.add_column(plain(label), **({} if number == action else {"overflow": "fold"}))
    for row in matrix.rows:
        codes = set(row.actions.values())
        style = _STYLES.get(next(iter(codes))) if len(codes) == 1 else None
        if all(f.waived for f in row.findings):
            style = "dim"  # accepted differences stay visible but recede
        cells = [*row.lead(matrix, catalog), row.baseline_cell,
                 *(row.cells[e] for e in matrix.envs),
                 row.action_text(catalog), "\n".join(row.notes)]
        table.add_row(*(plain(c) for c in cells), style=style, end_section=False)
    return table


def print_report(comparison: Comparison, catalog: Catalog, console: Console) -> None:
    """Print the summary and the matrix to a console."""
    for line in incomplete_lines(comparison, catalog):
        console.print(plain(line), highlight=False, style="bold red")
    for line in fleet_lines(comparison, catalog):
        console.print(plain(line), highlight=False)
    table = build_table(comparison, catalog)
    if table is None:
        console.print(plain(catalog.t("summary.none", baseline=comparison.baseline)))
    else:
        console.print(table)
        for line in summary_lines(comparison, catalog):
            console.print(plain(line), highlight=False)
    for line in advisory_lines(comparison, catalog):
        console.print(plain(line), highlight=False)


def advisory_lines(comparison: Comparison, catalog: Catalog) -> list[str]:
    """Duplicate/redundant index advisories per env (not drift), or nothing."""
    if not any(comparison.advisories.values()):
        return []
    lines = ["", catalog.t("lint.heading")]
    for env, items in comparison.advisories.items():
        lines.extend(f"  {env}: {advisory_text(a, catalog)}" for a in items)
    return lines


def render_text(comparison: Comparison, catalog: Catalog) -> str:
    """The same report as plain text, for ``-o file.txt``."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, no_color=True, highlight=False)
    print_report(comparison, catalog, console)
    return buffer.getvalue()
