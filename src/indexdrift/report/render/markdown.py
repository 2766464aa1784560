"""Markdown output that renders on GitHub/GitLab and in wiki pages.

Every name, definition, note and cause is database text: it goes through
``render.mdtext`` (entities for ``<>&``, escaped Markdown punctuation, code spans and
fences longer than any backtick run), so a hostile schema renders as text, in the right
table cells, and never as HTML.
"""

from __future__ import annotations

from indexdrift.compare.tables import Comparison
from indexdrift.core.i18n import Catalog
from indexdrift.report.lint import advisory_text
from indexdrift.report.matrix import Matrix, MatrixRow, build_matrix
from indexdrift.report.render import mdfit, mdtext
from indexdrift.report.render.fleetinfo import fleet_lines
from indexdrift.report.render.lines import incomplete_lines, summary_lines
from indexdrift.report.render.mdtext import block, cell, code
from indexdrift.report.render.summary import build_summary, generated_at


def _head(comparison: Comparison, catalog: Catalog) -> list[str]:
    """Title, baseline and envs, each env's source, fleets and unread targets."""
    out = [f"# {block(catalog.t('title.report', baseline=comparison.baseline))}", ""]
    out.append(f"## {catalog.t('heading.summary')}")
    out.append("")
    out.append(block(catalog.t("summary.envs", baseline=comparison.baseline,
                               envs=", ".join(comparison.envs)) + " "
                     + catalog.t("summary.generated", when=generated_at()) + "."))
    out.append("")
    for name, snap in comparison.snapshots.items():
        schema = f" ({code(snap.schema)})" if snap.schema else ""
        out.append(f"- **{mdtext.text(name)}**: {code(snap.source)}{schema}")
    out.append("")
    out.extend(f"- {block(line)}" for line in fleet_lines(comparison, catalog))
    if comparison.fleets:
        out.append("")
    out.extend(incomplete_lines(comparison, catalog, markdown=True))
    return out


def _table_lines(matrix: Matrix, rows: list[MatrixRow], catalog: Catalog) -> list[str]:
    """The matrix header and one Markdown table line per row."""
    header = matrix.header(catalog)
    out = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        *kind, name, table = row.lead(matrix, catalog)
        cells = [*(cell(k) for k in kind), code(name, table=True) if name != "*" else "*",
                 code(table, table=True), cell(row.baseline_cell),
                 *(cell(row.cells[e]) for e in matrix.envs),
                 cell(row.action_text(catalog)), cell("; ".join(row.notes))]
        out.append("| " + " | ".join(cells) + " |")
    return out


def render_markdown(comparison: Comparison, catalog: Catalog,
                    statements: dict | None = None, *, max_chars: int = 0,
                    top: int | None = None, full_reports: tuple[str, ...] = ()) -> str:
    """Summary, then the matrix, then (when given) each env's statements in ``sql`` blocks.

    ``top``: the short version (``--summary``): counts per env and kind and the ``top``
    findings that matter most. ``max_chars`` (0: no limit): the report is cut to fit,
    statements first, then advisories, then matrix rows from the end, and says so at the
    top (render.mdfit). ``full_reports``: the other files of the run, which the notes
    name as the full report.
    """
    head = _head(comparison, catalog)
    if not comparison.findings:
        body = [block(catalog.t("summary.none", baseline=comparison.baseline)), ""]
        return mdfit.fit(mdfit.Parts(head + body, [], [], [],
                                     advisory_section(comparison, catalog)),
                         max_chars, catalog, full_reports)
    matrix = build_matrix(comparison, catalog)
    if top is not None:
        return _summary_report(comparison, catalog, matrix, head, top, max_chars,
                               full_reports)
    head += [f"- {block(line)}" for line in summary_lines(comparison, catalog)]
    head += ["", f"## {catalog.t('heading.matrix')}", ""]
    lines = _table_lines(matrix, matrix.rows, catalog)
    parts = mdfit.Parts(head, lines[:2], lines[2:], [""],
                        advisory_section(comparison, catalog),
                        statement_lines(statements, catalog, comparison.baseline)
                        if statements else [])
    return mdfit.fit(parts, max_chars, catalog, full_reports)


def _summary_report(comparison: Comparison, catalog: Catalog, matrix: Matrix,
                    head: list[str], top: int, max_chars: int,
                    full_reports: tuple[str, ...]) -> str:
    """``--summary``: counts per env and kind, the ``top`` rows that matter most, a hint."""
    summary = build_summary(comparison)
    kinds = list(summary.kinds)
    labels = [catalog.t("col.env"), *(catalog.t("kind." + k) for k in kinds),
              catalog.t("col.total")]
    head += ["| " + " | ".join(cell(h) for h in labels) + " |", "|" + "---|" * len(labels)]
    for line in summary.compared:
        values = [mdtext.text(line.env), *(str(line.counts[k]) for k in kinds), str(line.total)]
        head.append("| " + " | ".join(values) + " |")
    head.append("")
    chosen = top_rows(matrix.rows, top)
    head += [f"## {catalog.t('md.top.heading', count=len(chosen), total=len(matrix.rows))}",
             ""]
    lines = _table_lines(matrix, chosen, catalog)
    rest = len(matrix.rows) - len(chosen)
    tail = [""]
    if rest:
        tail += [block(catalog.t("md.top.more", count=rest)), ""]
    advisories = sum(len(items) for items in comparison.advisories.values())
    if advisories:
        tail += [block(catalog.t("md.top.advisories", count=advisories)), ""]
    tail += [mdfit.full_report_hint(catalog, full_reports, short=True), ""]
    return mdfit.fit(mdfit.Parts(head, lines[:2], lines[2:], tail), max_chars, catalog,
                     full_reports)


# What to look at first: a whole table or a missing index before a rebuild, a rebuild
# before a drop or a rename; rows that differ in more envs first; waived rows last.
_SEVERITY = {"REVIEW": 0, "CREATE": 0, "ADD": 1, "REBUILD": 2, "MODIFY": 2, "CHANGE": 3,
             "VISIBILITY": 3, "DROP": 4, "RENAME": 5}


def top_rows(rows: list[MatrixRow], count: int) -> list[MatrixRow]:
    """The ``count`` rows that matter most (see _SEVERITY), in report order."""
    def rank(item: tuple[int, MatrixRow]) -> tuple:
        number, row = item
        waived = all(f.waived for f in row.findings)
        worst = min(_SEVERITY.get(code, 3) for code in row.actions.values())
        return (waived, worst, -len(row.actions), number)

    picked = sorted(enumerate(rows), key=rank)[:count]
    return [row for _, row in sorted(picked, key=lambda item: item[0])]


def advisory_items(comparison: Comparison, catalog: Catalog) -> list[tuple[str, str]]:
    """``(env, text)`` of every lint advisory, in the texts the terminal prints."""
    return [(env, advisory_text(a, catalog))
            for env, items in comparison.advisories.items() for a in items]


def advisory_section(comparison: Comparison, catalog: Catalog) -> list[str]:
    """The duplicate/redundant index advisories as a section (nothing when there are none)."""
    items = advisory_items(comparison, catalog)
    if not items:
        return []
    out = [f"## {catalog.t('lint.heading')}", ""]
    out.extend(f"- **{mdtext.text(env)}**: {mdtext.text(text)}" for env, text in items)
    out.append("")
    return out


_fence = mdtext.fence  # a fence longer than any backtick run (MySQL quotes names so)


def statement_lines(statements: dict, catalog: Catalog, baseline: str) -> list[str]:
    """Each env's migration and rollback (render.statements.EnvStatements) in ``sql`` blocks."""
    out = [f"## {catalog.t('heading.statements')}", "", catalog.t("statements.intro"), ""]
    for env, entry in statements.items():
        out += [f"### {block(env)}", ""]
        if entry.target is None:
            out += [f"> {block(catalog.t('statements.flavor_unknown', env=env))}", ""]
            continue
        out += [block(catalog.t("statements." + "target." + entry.target_from,
                                target=entry.target.label, baseline=baseline)), ""]
        for key, text in (("statements.migration", entry.up), ("statements.rollback",
                                                                entry.down)):
            fence = _fence(text)
            out += [f"**{catalog.t(key)}**", "", f"{fence}sql", text.rstrip("\n"), fence, ""]
    return out
