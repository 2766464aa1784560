"""A self-contained HTML report: summary, filterable matrix, per-env migration and rollback.

One file with its CSS and JavaScript inlined, so it works when mailed or attached to a
ticket and fetches nothing. The matrix rows travel as JSON and a small script renders
them in chunks as the reader scrolls, so tens of thousands of rows do not freeze the page.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

from indexdrift.compare.tables import KINDS, Comparison
from indexdrift.core.i18n import Catalog
from indexdrift.evidence.text import unavailable_lines
from indexdrift.report.matrix import build_matrix, matrix_header, shows_object_kind
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
                 "html.diff.inserted", "html.diff.deleted", "html.sort.asc", "html.sort.desc")


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


def report_rows(comparison: Comparison, catalog: Catalog) -> list[dict]:
    """The matrix rows as the page's script reads them.

    ``c``: per env a string, or ``[code, text]`` segments when the cell is a changed or
    renamed definition; ``k``: per env the index of the finding's kind in KINDS, or -1;
    ``o`` (when the report shows its object column): the row's object kind, an index in
    OBJECTS.
    """
    matrix = build_matrix(comparison, catalog)
    rows = []
    for row in matrix.rows:
        kinds = {f.env: f.kind for f in row.findings}
        cells: list[object] = []
        for env in matrix.envs:
            text = row.cells[env]
            if kinds.get(env) in _HIGHLIGHTED:
                cells.append(diff_segments(row.baseline_cell, text))
            else:
                cells.append(text)
        name = row.lead(matrix, catalog)[-2]  # the object's own name beside its object column
        entry = {"i": name, "t": row.table, "b": row.baseline_cell, "c": cells,
                 "k": [KINDS.index(kinds[e]) if e in kinds else -1 for e in matrix.envs],
                 "a": row.action_text(catalog), "n": "; ".join(row.notes)}
        if matrix.show_kind:
            entry["o"] = OBJECTS.index(row.object_kind)
        if row.findings and all(is_waived(f) for f in row.findings):
            entry["w"] = 1
        rows.append(entry)
    return rows


def render_html(comparison: Comparison, catalog: Catalog, *,
                statements: dict[str, EnvStatements] | None = None) -> str:
    """The whole report as one HTML document."""
    summary = build_summary(comparison)
    envs = [e.env for e in summary.compared]
    data = {
        "envs": envs,
        "kinds": list(KINDS),
        "rows": report_rows(comparison, catalog) if comparison.findings else [],
        "text": {key.removeprefix("html."): catalog.t(key) for key in _SCRIPT_TEXTS},
    }
    show_kind = shows_object_kind(comparison.findings)
    # The object filter's choices: the kinds the findings are about, in OBJECTS order.
    objects = []
    if show_kind:
        present = {f.object_kind for f in comparison.findings}
        objects = [(OBJECTS.index(o), catalog.t("object." + o)) for o in OBJECTS
                   if o in present]
        data["objects"] = [catalog.t("object." + o) for o in OBJECTS]
    columns = matrix_header(comparison.baseline, envs, show_kind, catalog)
    template = _environment().get_template("report.html.j2")
    return template.render(
        t=catalog.t, lang=catalog.lang, summary=summary, columns=columns, envs=envs,
        kinds=summary.kinds, all_kinds=KINDS, objects=objects,
        data_json=_script_json(data), statements=statements,
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
