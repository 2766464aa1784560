"""The drift report as an Excel workbook (XlsxWriter).

Sheets: the summary first; the findings, one row per env and finding (so an autofilter on
env shows all of an env's findings, with the statement and rollback of each); the matrix,
the sheet teams already keep (frozen header, autofilter, widths, a fill per action and per
kind); the migration and rollback statements of each env; and the duplicate/redundant
index advisories when there are any. Every sheet prints landscape, fit to the page width,
its header row repeated on each page. Every text is written as a string, so a definition
or comment starting with ``=`` never becomes a formula.
"""

from __future__ import annotations

import io
import re
import unicodedata

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from indexdrift.compare.tables import Comparison
from indexdrift.core.i18n import Catalog
from indexdrift.evidence.text import unavailable_lines
from indexdrift.report.findingrows import build_finding_rows, finding_header, row_cells
from indexdrift.report.lint import advisory_text
from indexdrift.report.matrix import build_matrix
from indexdrift.report.render.fleetinfo import fleet_lines
from indexdrift.report.render.statements import EnvStatements
from indexdrift.report.render.summary import build_summary, unread_envs

# Fills by action code (the action column) and by finding kind (the env cells).
ACTION_FILLS = {"ADD": "#C6EFCE", "DROP": "#FFC7CE", "REBUILD": "#FFE2BF", "RENAME": "#D6E8FF",
                "VISIBILITY": "#E4DAF7", "REVIEW": "#E3E6EA", "MODIFY": "#FFF0B3",
                "CHANGE": "#FFE2BF"}
MIXED_FILL = "#F2F2F2"  # the envs of a row need different actions
KIND_FILLS = {"missing": "#FFD8D3", "extra": "#FFF0B3", "changed": "#FFE2BF",
              "renamed": "#D6E8FF", "table_missing": "#EADCFF", "table_extra": "#E3E6EA"}
# Foreign keys and checks take the fill of the index kind they mirror; options "changed".
KIND_FILLS.update({f"{obj}_{kind}": KIND_FILLS[kind] for obj in ("foreign_key", "check")
                   for kind in ("missing", "extra", "changed", "renamed")})
KIND_FILLS["table_options_changed"] = KIND_FILLS["changed"]
OTHER_KIND_FILL = "#FFF7E0"
HEADER_FILL = "#DDE3EA"
ROLLBACK_FILL = "#F3F0FA"
_MAX_CELL = 32767  # Excel's limit on one cell's text
_MAX_WIDTH, _MIN_WIDTH = 60, 8
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _text(value: str) -> str:
    """Cell text Excel accepts: no control characters, within the length limit."""
    value = _CONTROL.sub("", value)
    return value if len(value) <= _MAX_CELL else value[:_MAX_CELL - 1] + "…"


def _display_width(text: str) -> int:
    """Columns a line takes: Hangul and other wide characters count twice."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _measure(rows: list[list[str]]) -> list[int]:
    """Per column, the longest line plus a margin, within bounds."""
    widths: list[int] = []
    for row in rows:
        for i, value in enumerate(row):
            if i >= len(widths):
                widths.append(_MIN_WIDTH)
            text = str(value)
            if 2 * len(text) + 2 <= widths[i] or widths[i] >= _MAX_WIDTH:
                continue  # cannot widen the column
            width = max((_display_width(line) for line in text.splitlines()), default=0)
            widths[i] = min(_MAX_WIDTH, max(widths[i], width + 2))
    return widths


class _Styles:
    """One Format per combination, created on first use (XlsxWriter wants them shared)."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        self.workbook = workbook
        self.cache: dict[tuple, Format] = {}

    def __call__(self, *, fill: str | None = None, bold: bool = False, wrap: bool = False,
                 mono: bool = False) -> Format:
        key = (fill, bold, wrap, mono)
        found = self.cache.get(key)
        if found is None:
            props: dict[str, object] = {"valign": "top"}
            if fill:
                props.update(pattern=1, bg_color=fill)
            if bold:
                props["bold"] = True
            if wrap:
                props["text_wrap"] = True
            if mono:
                props["font_name"] = "Consolas"
            found = self.cache[key] = self.workbook.add_format(props)
        return found


def _write_row(ws: Worksheet, row: int, values: list[object], formats: list[Format]) -> None:
    for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
        if isinstance(value, str):
            ws.write_string(row, col, _text(value), fmt)
        elif value is not None:
            ws.write_number(row, col, value, fmt)


def _set_widths(ws: Worksheet, widths: list[int]) -> None:
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)


def _print_setup(ws: Worksheet, header_row: int | None = 0) -> None:
    """Landscape, as wide as one page, the header row on every page."""
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    if header_row is not None:
        ws.repeat_rows(header_row)


def _findings_sheet(workbook: xlsxwriter.Workbook, style: _Styles, comparison: Comparison,
                    catalog: Catalog, statements: dict[str, EnvStatements] | None) -> None:
    """One row per env and finding (report.findingrows), the kind cell filled by kind."""
    matrix = build_matrix(comparison, catalog)
    ws = workbook.add_worksheet(catalog.t("xlsx.sheet.findings")[:31])
    header = finding_header(catalog, matrix.show_kind)
    found = build_finding_rows(comparison, catalog, statements, matrix)
    texts = [row_cells(row, matrix.show_kind) for row in found]
    widths = _measure([header, *texts])
    for col in (-1, -2):  # statement and rollback wrap in a wide column
        widths[col] = max(widths[col], 60)
    _set_widths(ws, widths)
    _write_row(ws, 0, header, [style(bold=True, fill=HEADER_FILL)] * len(header))
    ws.freeze_panes(1, 0)
    lead = len(header) - 9  # env, kind[, object]
    for number, (values, row) in enumerate(zip(texts, found, strict=True), start=1):
        fill = KIND_FILLS.get(row.kind_code, OTHER_KIND_FILL)
        formats = [style(bold=True), style(fill=fill)] + [style()] * (lead - 2)
        formats += [style(), style(bold=True), style(mono=True), style(mono=True, fill=fill),
                    style(), style(bold=True), style(wrap=True), style(wrap=True, mono=True),
                    style(wrap=True, mono=True, fill=ROLLBACK_FILL)]
        _write_row(ws, number, values, formats)
    ws.autofilter(0, 0, max(1, len(texts)), len(header) - 1)
    _print_setup(ws)


def _matrix_sheet(workbook: xlsxwriter.Workbook, style: _Styles, comparison: Comparison,
                  catalog: Catalog) -> None:
    matrix = build_matrix(comparison, catalog)
    ws = workbook.add_worksheet(catalog.t("xlsx.sheet.matrix")[:31])
    header = matrix.header(catalog)
    texts = [[*row.lead(matrix, catalog), row.baseline_cell,
              *(row.cells[e] for e in matrix.envs), row.action_text(catalog),
              "\n".join(row.notes)] for row in matrix.rows]
    lead = len(header) - len(matrix.envs) - 3  # [object,] name, table
    _set_widths(ws, _measure([header, *texts]))
    _write_row(ws, 0, header, [style(bold=True, fill=HEADER_FILL)] * len(header))
    ws.freeze_panes(1, lead)  # the header row and the name/table columns stay in view
    for number, (row, values) in enumerate(zip(matrix.rows, texts, strict=True), start=1):
        kinds = {f.env: f.kind for f in row.findings}
        codes = set(row.actions.values())
        action_fill = ACTION_FILLS.get(next(iter(codes))) if len(codes) == 1 else None
        formats = [style()] * (lead - 2) + [style(bold=True), style(), style(mono=True)]
        for env in matrix.envs:
            kind = kinds.get(env)
            fill = KIND_FILLS.get(kind, OTHER_KIND_FILL) if kind is not None else None
            formats.append(style(fill=fill, mono=True))
        formats += [style(fill=action_fill or MIXED_FILL, bold=True), style(wrap=True)]
        _write_row(ws, number, values, formats)
    ws.autofilter(0, 0, max(1, len(texts)), len(header) - 1)
    _print_setup(ws)


def _statement_rows(entry: EnvStatements, catalog: Catalog) -> list[list[str]]:
    """``env | target | direction | table | statement`` rows of one env."""
    if entry.target is None or entry.script is None:
        return [[entry.env, "", "", "", catalog.t("statements.flavor_unknown", env=entry.env)]]
    rows: list[list[str]] = []
    target = entry.target.label
    up, down = catalog.t("statements.migration"), catalog.t("statements.rollback")
    chain = [entry.script]
    while chain[-1].later is not None:
        chain.append(chain[-1].later)
    for script in chain:
        for table in script.tables:
            rows.extend([entry.env, target, up, table.table, s.render()]
                        for s in table.up + table.held)
        rows.extend([entry.env, target, up, "", f"-- {line}"] for line in script.reported)
    for script in reversed(chain):
        for table in script.down_tables():  # the phases in reverse (foreign keys)
            rows.extend([entry.env, target, down, table.table, s.render()] for s in table.down)
    if not rows:
        rows.append([entry.env, target, up, "", "-- nothing to apply"])
    return rows


def _statements_sheet(workbook: xlsxwriter.Workbook, style: _Styles,
                      statements: dict[str, EnvStatements], catalog: Catalog) -> None:
    ws = workbook.add_worksheet(catalog.t("xlsx.sheet.statements")[:31])
    header = [catalog.t("col.env"), catalog.t("col.target"), catalog.t("col.direction"),
              catalog.t("col.table"), catalog.t("col.statement")]
    rows = [r for entry in statements.values() for r in _statement_rows(entry, catalog)]
    widths = _measure([header, *rows])
    widths[-1] = max(widths[-1], 90)
    _set_widths(ws, widths)
    _write_row(ws, 0, header, [style(bold=True, fill=HEADER_FILL)] * len(header))
    ws.freeze_panes(1, 0)
    rollback = catalog.t("statements.rollback")
    for number, row in enumerate(rows, start=1):
        fill = ROLLBACK_FILL if row[2] == rollback else None
        _write_row(ws, number, row, [style(bold=True), style(), style(fill=fill), style(),
                                     style(wrap=True, mono=True)])
    ws.autofilter(0, 0, max(1, len(rows)), len(header) - 1)
    _print_setup(ws)


def _summary_sheet(workbook: xlsxwriter.Workbook, style: _Styles, comparison: Comparison,
                   catalog: Catalog) -> None:
    summary = build_summary(comparison)
    ws = workbook.add_worksheet(catalog.t("xlsx.sheet.summary")[:31])
    kinds = list(summary.kinds)
    head = [catalog.t("col.env"), *(catalog.t("kind." + k) for k in kinds),
            catalog.t("col.total")]
    sources_head = [catalog.t("col.env"), catalog.t("col.source"), catalog.t("col.schema"),
                    catalog.t("col.server")]
    sources = [[e.env, e.source, e.schema or "", e.server or ""] for e in summary.envs]
    _set_widths(ws, _measure([head, sources_head, *sources]))
    lines: list[tuple[list[object], list[Format]]] = [
        ([catalog.t("title.report", baseline=summary.baseline)], [style(bold=True)]),
        ([catalog.t("summary.envs", baseline=summary.baseline,
                    envs=", ".join(e.env for e in summary.compared))], [style()]),
        ([catalog.t("summary.generated", when=summary.generated)], [style()]),
    ]
    if not comparison.findings:
        lines.append(([catalog.t("summary.none", baseline=summary.baseline)], [style()]))
    for env, cause in unread_envs(comparison).items():
        lines.append(([catalog.t("incomplete.line", env=env, cause=cause)],
                      [style(fill="#FFF4E5")]))
    lines.extend(([line], [style()]) for line in fleet_lines(comparison, catalog))
    lines.extend(([line], [style()]) for line in
                 unavailable_lines(getattr(comparison, "usage_unavailable", {}), catalog))
    lines.append(([], []))
    lines.append((head, [style(bold=True, fill=HEADER_FILL)] * len(head)))
    for line in summary.compared:
        values: list[object] = [line.env, *(line.counts[k] for k in kinds), line.total]
        formats = [style(bold=True),
                   *(style(fill=KIND_FILLS.get(k, OTHER_KIND_FILL) if line.counts[k] else None)
                     for k in kinds), style(bold=True)]
        lines.append((values, formats))
    lines.append(([], []))
    lines.append(([catalog.t("summary.sources")], [style(bold=True)]))
    lines.append((sources_head, [style(bold=True, fill=HEADER_FILL)] * len(sources_head)))
    lines.extend((values, [style()] * len(values)) for values in sources)
    for number, (values, formats) in enumerate(lines):
        _write_row(ws, number, values, formats)
    _print_setup(ws, None)


def _advisories_sheet(workbook: xlsxwriter.Workbook, style: _Styles, comparison: Comparison,
                      catalog: Catalog) -> None:
    """``env | table | index | covered by | advisory`` rows: the terminal's lint advisories."""
    ws = workbook.add_worksheet(catalog.t("xlsx.sheet.advisories")[:31])
    header = [catalog.t("col.env"), catalog.t("col.table"), catalog.t("col.index"),
              catalog.t("col.covered_by"), catalog.t("col.advisory")]
    # A foreign key without an index: the index to add, covered by nothing.
    rows = [[env, a.table, a.index.name, a.covered_by.name if a.covered_by else "",
             advisory_text(a, catalog)]
            for env, items in comparison.advisories.items() for a in items]
    widths = _measure([header, *rows])
    widths[-1] = max(widths[-1], 90)
    _set_widths(ws, widths)
    _write_row(ws, 0, header, [style(bold=True, fill=HEADER_FILL)] * len(header))
    ws.freeze_panes(1, 0)
    for number, row in enumerate(rows, start=1):
        # _write_row writes every text with write_string: a name starting with "=" stays text.
        _write_row(ws, number, row, [style(bold=True), style(), style(bold=True), style(),
                                     style(wrap=True)])
    ws.autofilter(0, 0, len(rows), len(header) - 1)
    _print_setup(ws)


def render_xlsx(comparison: Comparison, catalog: Catalog, *,
                statements: dict[str, EnvStatements] | None = None) -> bytes:
    """The workbook as bytes: summary, findings, matrix, statements (when given),
    advisories (if any)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False,
                                            "strings_to_numbers": False})
    style = _Styles(workbook)
    _summary_sheet(workbook, style, comparison, catalog)
    if comparison.findings:
        _findings_sheet(workbook, style, comparison, catalog, statements)
    _matrix_sheet(workbook, style, comparison, catalog)
    if statements is not None:
        _statements_sheet(workbook, style, statements, catalog)
    if any(comparison.advisories.values()):
        _advisories_sheet(workbook, style, comparison, catalog)
    workbook.close()
    return buffer.getvalue()
