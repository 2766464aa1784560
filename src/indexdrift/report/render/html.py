"""A self-contained HTML report: summary, filterable matrix, per-env migration and rollback.

One file with its CSS and JavaScript inlined, so it works when mailed or attached to a
ticket and fetches nothing. Every drift row is written into the HTML itself, so mail
previews, wiki viewers and printers without scripts show the whole table; the script only
adds filters, sorting, chunked re-rendering of a filtered view, the drill-down (each env's
whole table and its statements, as JSON) and the selection script.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

from indexdrift.compare.tables import KINDS, Comparison
from indexdrift.core.i18n import Catalog
from indexdrift.evidence.text import unavailable_lines
from indexdrift.report.matrix import build_matrix, matrix_header, shows_object_kind
from indexdrift.report.render.drilldown import LinePool, statement_chunks, table_definitions
from indexdrift.report.render.fleetinfo import fleet_lines
from indexdrift.report.render.markdown import advisory_items
from indexdrift.report.render.statements import EnvStatements
from indexdrift.report.render.summary import build_summary, is_waived, unread_envs

# Segment codes of a highlighted cell: same as the baseline, only here, only in the baseline.
SAME, INSERTED, DELETED = 0, 1, 2
_TOKEN = re.compile(r"`[^`]*`|'(?:[^']|'')*'|\w+|\s+|[^\w\s]")
_HIGHLIGHTED = ("changed", "renamed", "foreign_key_changed", "foreign_key_renamed",
                "check_changed", "check_renamed", "table_options_changed")

# Object kinds (the --objects words) in the order the object filter lists them.
OBJECTS = ("indexes", "columns", "foreign_keys", "checks", "tables")

# Texts the page's script needs, by the catalog key they come from.
_SCRIPT_TEXTS = ("html.shown", "html.no_rows", "html.copied", "html.copy_failed",
                 "html.sort.asc", "html.sort.desc", "html.detail.title",
                 "html.detail.statements", "html.detail.no_statements",
                 "html.detail.whole_table", "html.detail.close", "html.select.copy",
                 "html.select.header", "html.select.framed", "html.select.staged",
                 "html.select.none", "html.select.count", "statements.migration",
                 "statements.rollback", "html.baseline", "html.copy")


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("indexdrift.report.render", "templates"),
                       autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True)


def diff_segments(baseline: str, other: str) -> list[list]:
    """``other`` as ``[code, text]`` segments against ``baseline``, by SQL-ish tokens.

    Codes: SAME, INSERTED (text only ``other`` has), DELETED (baseline text it lacks).
    Quoted names and strings are one token each, so a changed comment is one highlight.
    """
    a, b = _TOKEN.findall(baseline), _TOKEN.findall(other)
    segments: list[list] = []

    def add(code: int, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1][0] == code:
            segments[-1][1] += text
        else:
            segments.append([code, text])

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            add(SAME, b[j1:j2])
            continue
        if op in ("delete", "replace") and "".join(a[i1:i2]).strip():
            add(DELETED, a[i1:i2])
        if op in ("insert", "replace"):
            add(INSERTED, b[j1:j2])
    return segments


def _script_json(value: object) -> str:
    """JSON safe inside a <script> element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _width(text: str) -> int:
    """Columns a text takes in a monospace font: East Asian wide letters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def action_pieces(text: str) -> list[str]:
    """An action cell's unbreakable parts: ``env: ACTION`` pairs (or one action)."""
    return text.split("; ")


def report_rows(comparison: Comparison, catalog: Catalog) -> list[dict]:
    """The matrix rows as the template writes them into the page.

    ``lead``: [object label,] name, table; ``b``: the baseline cell; ``c``: per env
    ``(kind or None, text, segments or None)``, segments ``[code, text]`` when the cell is
    a changed or renamed definition; ``k``: per env the index of its finding's kind in
    KINDS, or -1 (the script filters on it); ``o``: the object kind's index in OBJECTS
    when the report shows its object column; ``a``: the action's unbreakable pieces.
    """
    matrix = build_matrix(comparison, catalog)
    rows = []
    for row in matrix.rows:
        kinds = {f.env: f.kind for f in row.findings}
        cells = []
        for env in matrix.envs:
            text = row.cells[env]
            kind = kinds.get(env)
            segments = diff_segments(row.baseline_cell, text) if kind in _HIGHLIGHTED else None
            cells.append((kind, text, segments))
        entry = {"lead": row.lead(matrix, catalog), "t": row.table, "b": row.baseline_cell,
                 "c": cells, "k": ",".join(str(KINDS.index(kinds[e])) if e in kinds else "-1"
                                           for e in matrix.envs),
                 "a": action_pieces(row.action_text(catalog)), "n": "; ".join(row.notes),
                 "o": OBJECTS.index(row.object_kind) if matrix.show_kind else None,
                 "w": bool(row.findings) and all(is_waived(f) for f in row.findings)}
        rows.append(entry)
    return rows


def identifier_widths(rows: list[dict], columns: list[str]) -> list[int]:
    """Per identifier column (the lead columns, then the action): the widest unbreakable
    text in it, header included, in monospace columns. The page gives these columns
    exactly that width, so no name or action ever breaks; the definitions take the rest."""
    count = len(rows[0]["lead"]) if rows else 0
    widths = [max([_width(r["lead"][n]) for r in rows], default=0) for n in range(count)]
    widths.append(max((_width(p) for r in rows for p in r["a"]), default=0))
    # The header labels stay on one line too (they are short words), capped so that a
    # long label does not take the definitions' room; it shows in full as a tooltip.
    heads = [*columns[:count], columns[-2]]
    return [max(w, min(_width(h), 14)) for w, h in zip(widths, heads, strict=True)]


def render_html(comparison: Comparison, catalog: Catalog, *,
                statements: dict[str, EnvStatements] | None = None) -> str:
    """The whole report as one HTML document."""
    summary = build_summary(comparison)
    envs = [e.env for e in summary.compared]
    rows = report_rows(comparison, catalog) if comparison.findings else []
    pool = LinePool()
    tables = list(dict.fromkeys(r["t"] for r in rows))
    data = {
        "envs": envs,
        "baseline": comparison.baseline,
        "kinds": list(KINDS),
        "text": {key.removeprefix("html."): catalog.t(key) for key in _SCRIPT_TEXTS},
        "tables": table_definitions(comparison, tables, [comparison.baseline, *envs],
                                    catalog, pool),
        "sql": statement_chunks(statements) if rows else {},
    }
    data["lines"] = pool.lines
    show_kind = shows_object_kind(comparison.findings)
    # The object filter's choices: the kinds the findings are about, in OBJECTS order.
    objects = []
    if show_kind:
        present = {f.object_kind for f in comparison.findings}
        objects = [(OBJECTS.index(o), catalog.t("object." + o)) for o in OBJECTS
                   if o in present]
        data["objects"] = [catalog.t("object." + o) for o in OBJECTS]
    columns = matrix_header(comparison.baseline, envs, show_kind, catalog)
    widths = identifier_widths(rows, columns)
    template = _environment().get_template("report.html.j2")
    return template.render(
        t=catalog.t, lang=catalog.lang, summary=summary, columns=columns, envs=envs,
        kinds=summary.kinds, all_kinds=KINDS, objects=objects, rows=rows,
        lead_widths=widths[:-1], action_width=widths[-1], lead_count=len(widths) - 1,
        data_json=_script_json(data), statements=statements,
        script_envs=[env for env, entry in (statements or {}).items()
                     if entry.script is not None],
        incomplete=unread_envs(comparison), baseline=comparison.baseline,
        advisories=advisory_items(comparison, catalog),
        fleets=fleet_lines(comparison, catalog),
        evidence=unavailable_lines(getattr(comparison, "usage_unavailable", {}), catalog),
        css=_asset("report.css"), script=_asset("report.js"),
    )


@cache
def _asset(name: str) -> str:
    """A stylesheet or script of templates/, inlined into the page as it is."""
    folder = resources.files("indexdrift.report.render").joinpath("templates")
    return folder.joinpath(name).read_text("utf-8")
