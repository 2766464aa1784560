"""Markdown that fits a size limit (GitHub takes an issue body of at most 65,536
characters): what is left out, in this order, is the statements, the advisories, then
matrix rows from the end, and a notice at the top says what went.

A report is made of ``Parts``; ``fit`` joins them, or the most of them that fits. Every
line stays whole (a table row, a fence), so what is kept renders as it would uncut.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexdrift.core.i18n import Catalog
from indexdrift.report.render import mdtext


@dataclass(slots=True)
class Parts:
    """The lines of a Markdown report, by what may be left out."""

    head: list[str]  # title, summary: always kept
    table_head: list[str]  # the matrix header lines (dropped with the last row)
    rows: list[str]  # one line per matrix row, cut from the end
    tail: list[str] = field(default_factory=list)  # after the rows: always kept
    advisories: list[str] = field(default_factory=list)
    statements: list[str] = field(default_factory=list)


def with_code(catalog: Catalog, key: str, **codes: str) -> str:
    """A catalog text as Markdown whose values are code spans (``-o drift.html``)."""
    marks = {name: f"\x00{name}\x00" for name in codes}
    escaped = mdtext.block(catalog.t(key, **marks))
    for name, value in codes.items():
        escaped = escaped.replace(marks[name], value)
    return escaped


def full_report_hint(catalog: Catalog, full_reports: tuple[str, ...] = (),
                     short: bool = False) -> str:
    """Where the whole report is: the run's other files, else how to write one (``short``:
    of a --summary report)."""
    if full_reports:
        return with_code(catalog, "md.full.files",
                         files=", ".join(mdtext.code(path) for path in full_reports))
    examples = ", ".join(mdtext.code(e) for e in ("-o drift.html", "-o drift.xlsx"))
    if short:
        return with_code(catalog, "md.full.hint_summary", examples=examples,
                         option=mdtext.code("--summary"))
    return with_code(catalog, "md.full.hint", examples=examples,
                     unlimited=mdtext.code("--max-chars 0"))


def _join(lines: list[str]) -> str:
    return "\n".join(lines)


def _notice(catalog: Catalog, limit: int, left: list[str],
            full_reports: tuple[str, ...]) -> list[str]:
    text = catalog.t("md.cut.notice", limit=limit, parts=", ".join(left))
    return [f"> {mdtext.block(text)}", ">", f"> {full_report_hint(catalog, full_reports)}", ""]


def _assemble(parts: Parts, notice: list[str], kept: int, advisories: bool,
              statements: bool) -> str:
    rows = parts.rows[:kept]
    table = parts.table_head + rows if rows else []
    return _join([*parts.head, *notice, *table, *parts.tail,
                  *(parts.advisories if advisories else []),
                  *(parts.statements if statements else [])])


def fit(parts: Parts, max_chars: int, catalog: Catalog,
        full_reports: tuple[str, ...] = ()) -> str:
    """The report, whole when it fits ``max_chars`` (0: no limit), else cut (see module)."""
    whole = _assemble(parts, [], len(parts.rows), True, True)
    if not max_chars or len(whole) <= max_chars:
        return whole
    total = len(parts.rows)

    def attempt(kept: int, advisories: bool, statements: bool) -> str:
        left = []
        if kept < total:
            left.append(catalog.t("md.cut.rows", count=total - kept, total=total))
        if not advisories and parts.advisories:
            left.append(catalog.t("md.cut.advisories"))
        if not statements and parts.statements:
            left.append(catalog.t("md.cut.statements"))
        notice = _notice(catalog, max_chars, left, full_reports)
        return _assemble(parts, notice, kept, advisories, statements)

    for advisories, statements in ((True, False), (False, False)):
        text = attempt(total, advisories, statements)
        if len(text) <= max_chars:
            return text
    # The most rows that fit: the text grows with every row kept.
    low, high = 0, total
    while low < high:
        middle = (low + high + 1) // 2
        if len(attempt(middle, False, False)) <= max_chars:
            low = middle
        else:
            high = middle - 1
    text = attempt(low, False, False)
    if len(text) <= max_chars:
        return text
    # Not even the summary fits (thousands of unread targets): whole lines up to the limit.
    marker = "\n\n" + mdtext.block(catalog.t("md.cut.hard", limit=max_chars)) + "\n"
    cut = text[:max(0, max_chars - len(marker))]
    return cut[:cut.rfind("\n") + 1].rstrip("\n") + marker
