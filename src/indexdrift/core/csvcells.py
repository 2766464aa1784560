"""Spreadsheet-safe CSV cells: a cell that starts like a formula (``=``, ``+``, ``-``,
``@``, tab, carriage return) gets a leading ``'`` (OWASP's advice against CSV injection),
so Excel and LibreOffice show it as text instead of evaluating it. A cell that already
starts with ``'`` gets one too, so the rule reads back without guessing: strip one leading
``'`` from any cell that has it (``original_text``). The CSV report and the object files
``export`` writes (sources/objects_csv.py) both use it.
"""

from __future__ import annotations

# What makes a spreadsheet treat a cell as a formula (or hide the escape).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def spreadsheet_text(value: str) -> str:
    """``value`` with a leading ``'`` when it starts like a formula (or with ``'``)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def original_text(cell: str) -> str:
    """The text a cell stands for: ``spreadsheet_text`` undone."""
    return cell[1:] if cell.startswith("'") else cell
