"""Markdown output that renders on GitHub/GitLab and in wiki pages.

Every name, definition, note and cause is database text: it goes through
``render.mdtext`` (entities for ``<>&``, escaped Markdown punctuation, code spans and
fences longer than any backtick run), so a hostile schema renders as text, in the right
table cells, and never as HTML.
"""

from __future__ import annotations

from collections import Counter

from indexdrift.compare.tables import KINDS, Comparison
from indexdrift.core.i18n import Catalog
from indexdrift.report.lint import advisory_text
from indexdrift.report.matrix import build_matrix
from indexdrift.report.render import mdtext
from indexdrift.report.render.fleetinfo import fleet_lines
from indexdrift.report.render.mdtext import block, cell, code
from indexdrift.report.render.summary import generated_at


def summary_lines(comparison: Comparison, catalog: Catalog) -> list[str]:
    """Per-env counts by kind, one line each."""
    lines = []
    for env in comparison.envs:
        found = comparison.for_env(env)
        counts = Counter(f.kind for f in found)
        text = ", ".join(f"{catalog.t('kind.' + k)} {counts[k]}" for k in KINDS if counts[k])
        waived = sum(1 for f in found if f.waived)
        if waived:
            text += " (" + catalog.t("summary.waived", count=waived) + ")"
        lines.append(catalog.t("summary.counts", env=env, counts=text or "0"))
        if not comparison.snapshots[env].tables:
            # Only a run that compares tables reads an env without any (sources).
            lines.append(catalog.t("note.no_tables", env=env))
    return lines


def incomplete_lines(comparison: Comparison, catalog: Catalog, *,
                     markdown: bool = False) -> list[str]:
    """The warning that some targets could not be read (nothing when all were)."""
    if not comparison.incomplete:
        return []
    head = catalog.t("heading.incomplete")
    lines = [f"## ⚠ {head}" if markdown else f"⚠ {head}", "",
             catalog.t("incomplete.intro"), ""]
    for env, cause in comparison.incomplete.items():
        text = catalog.t("incomplete.line", env=env, cause=cause)
        lines.append(f"- {block(text) if markdown else text}")
    lines.append("")
    return lines


def render_markdown(comparison: Comparison, catalog: Catalog,
                    statements: dict | None = None) -> str:
    """Summary, then the matrix, then (when given) each env's statements in ``sql`` blocks."""
    matrix = build_matrix(comparison, catalog)
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
    if not comparison.findings:
        out.append(block(catalog.t("summary.none", baseline=comparison.baseline)))
        out.append("")
        out.extend(advisory_section(comparison, catalog))
        return "\n".join(out)
    for line in summary_lines(comparison, catalog):
        out.append(f"- {block(line)}")
    out.append("")
    out.append(f"## {catalog.t('heading.matrix')}")
    out.append("")
    header = matrix.header(catalog)
    out.append("| " + " | ".join(cell(h) for h in header) + " |")
    out.append("|" + "---|" * len(header))
    for row in matrix.rows:
        *kind, name, table = row.lead(matrix, catalog)
        cells = [*(cell(k) for k in kind), code(name, table=True) if name != "*" else "*",
                 code(table, table=True), cell(row.baseline_cell),
                 *(cell(row.cells[e]) for e in matrix.envs),
                 cell(row.action_text(catalog)), cell("; ".join(row.notes))]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.extend(advisory_section(comparison, catalog))
    if statements:
        out.extend(statement_lines(statements, catalog, comparison.baseline))
    return "\n".join(out)


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
