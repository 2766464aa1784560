"""The default terminal table (rich), in the layout teams already keep, or, when it does
not fit the terminal (or with ``--format list``), one block per row: the object, its
action, the baseline's and the changed envs' definitions, the notes.

Identifiers (index, table and action) are never split: the table keeps them whole and
is used only when the definitions still get room beside them (``table_fits``); a block
wraps its heading between words only.

Names, definitions and causes come from the databases read: they are shown as plain
text (never rich markup, so ``[/bold]`` in a name is just text) with control characters
spelled out (``\\x1b``), so a hostile name cannot restyle or retitle the terminal.
"""

from __future__ import annotations

import io
import re

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from indexdrift.compare.tables import Comparison
from indexdrift.core.i18n import Catalog
from indexdrift.report.lint import advisory_text
from indexdrift.report.matrix import Matrix, MatrixRow, build_matrix
from indexdrift.report.render.fleetinfo import fleet_lines
from indexdrift.report.render.lines import incomplete_lines, summary_lines

# C0 and C1 controls but the line feed (notes are joined with it), and DEL.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def plain(text: str) -> Text:
    """``text`` as a rich Text: no markup, controls shown as ``\\xNN``."""
    return Text(_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text))


_STYLES = {"ADD": "green", "DROP": "red", "REBUILD": "yellow", "RENAME": "cyan",
           "VISIBILITY": "magenta", "REVIEW": "bold red", "CHANGE": "yellow"}


def _cells(matrix: Matrix, row: MatrixRow, catalog: Catalog) -> list[str]:
    return [*row.lead(matrix, catalog), row.baseline_cell, *(row.cells[e] for e in matrix.envs),
            row.action_text(catalog), "\n".join(row.notes)]


def _style(row: MatrixRow) -> str | None:
    if all(f.waived for f in row.findings):
        return "dim"  # accepted differences stay visible but recede
    codes = set(row.actions.values())
    return _STYLES.get(next(iter(codes))) if len(codes) == 1 else None


def build_table(comparison: Comparison, catalog: Catalog,
                matrix: Matrix | None = None) -> Table | None:
    """The rich Table of the drift matrix, or None when there is no drift."""
    matrix = matrix or build_matrix(comparison, catalog)
    if not matrix.rows:
        return None
    table = Table(show_lines=False, header_style="bold", expand=False)
    header = matrix.header(catalog)
    whole = _identifier_columns(header, matrix)
    for number, label in enumerate(header):
        # Names, tables and the action are never split; definitions and notes fold.
        table.add_column(plain(label), **({"no_wrap": True} if number in whole
                                          else {"overflow": "fold"}))
    for row in matrix.rows:
        table.add_row(*(plain(c) for c in _cells(matrix, row, catalog)), style=_style(row),
                      end_section=False)
    return table


def _identifier_columns(header: list[str], matrix: Matrix) -> set[int]:
    """[object,] name, table and action: the columns that never wrap."""
    lead = len(header) - len(matrix.envs) - 3
    return {*range(lead), len(header) - 2}


# The least a definition or note column gets beside unsplit identifiers for the table to
# be worth it; below that the blocks read better.
MIN_TEXT_WIDTH = 16


def table_fits(matrix: Matrix, catalog: Catalog, width: int) -> bool:
    """True when the table fits ``width`` with its identifiers whole and every other
    column at least MIN_TEXT_WIDTH wide (or as wide as its text)."""
    header = matrix.header(catalog)
    widths = [cell_len(label) for label in header]
    for row in matrix.rows:
        for number, text in enumerate(_cells(matrix, row, catalog)):
            longest = max((cell_len(line) for line in text.split("\n")), default=0)
            widths[number] = max(widths[number], longest)
    whole = _identifier_columns(header, matrix)
    needed = sum(w if n in whole else min(w, MIN_TEXT_WIDTH) for n, w in enumerate(widths))
    return needed + 3 * len(widths) + 1 <= width  # "│ " and " " per column, one "│"


def print_blocks(matrix: Matrix, catalog: Catalog, console: Console) -> None:
    """One block per row: ``table.index  ACTION``, then the baseline's and each changed
    env's definition, then the notes."""
    width = max(cell_len(env) for env in [matrix.baseline, *matrix.envs])
    for row in matrix.rows:
        *kind, name, table = row.lead(matrix, catalog)
        title = table if name == "*" else f"{table}.{name}"
        heading = Text()
        if kind:
            heading.append(plain(kind[0] + ": "))
        heading.append_text(plain(title).copy())
        heading.stylize("bold", len(heading) - len(title))
        start = len(heading) + 2
        heading.append("  ")
        heading.append_text(plain(row.action_text(catalog)))
        heading.stylize(_style(row) or "bold", start)
        # Wrapped between words only: a name breaks only when it is wider than the terminal.
        console.print(heading, highlight=False)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True, min_width=width + 2)
        grid.add_column(overflow="fold")
        grid.add_row(plain("  " + matrix.baseline), plain(row.baseline_cell))
        for env in matrix.envs:
            if env in row.actions:
                grid.add_row(plain("  " + env), plain(row.cells[env]), style=_style(row))
        for note in row.notes:
            grid.add_row("", plain(note), style="dim" if _style(row) == "dim" else None)
        for line in console.render_lines(grid, pad=False):
            # The grid pads its cells to the column: no trailing blanks in a file.
            text = Text.assemble(*((seg.text, seg.style) for seg in line if not seg.control))
            text.rstrip()
            console.print(text, soft_wrap=True, highlight=False)
        console.print()


def print_report(comparison: Comparison, catalog: Catalog, console: Console,
                 layout: str = "auto") -> None:
    """Print the summary and the matrix to a console: the table when it fits the console
    (``layout="auto"``) or when asked (``"table"``), else one block per row (``"list"``)."""
    for line in incomplete_lines(comparison, catalog):
        console.print(plain(line), highlight=False, style="bold red")
    for line in fleet_lines(comparison, catalog):
        console.print(plain(line), highlight=False)
    matrix = build_matrix(comparison, catalog)
    if not matrix.rows:
        console.print(plain(catalog.t("summary.none", baseline=comparison.baseline)))
    else:
        if layout == "list" or (layout == "auto"
                                and not table_fits(matrix, catalog, console.width)):
            print_blocks(matrix, catalog, console)
        else:
            console.print(build_table(comparison, catalog, matrix))
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


def render_text(comparison: Comparison, catalog: Catalog, layout: str = "auto") -> str:
    """The same report as plain text, for ``-o file.txt`` (200 columns wide)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=200, no_color=True, highlight=False)
    print_report(comparison, catalog, console, layout)
    return buffer.getvalue()


def render_list(comparison: Comparison, catalog: Catalog) -> str:
    """The report as blocks, one per row (``--format list``)."""
    return render_text(comparison, catalog, "list")
