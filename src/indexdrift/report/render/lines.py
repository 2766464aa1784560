"""The summary's plain lines (per-env counts, targets that could not be read), shared by
the Markdown report and the terminal table; apart from markdown.py so that the terminal
table does not load the Markdown writer (start-up time)."""

from __future__ import annotations

from collections import Counter

from indexdrift.compare.tables import KINDS, Comparison
from indexdrift.core.i18n import Catalog
from indexdrift.evidence.text import unavailable_lines


def _block(text: str) -> str:
    from indexdrift.report.render.mdtext import block  # lazy: the Markdown report only

    return block(text)


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
    # Envs without usage counters: once each here, not on every note.
    lines.extend(unavailable_lines(getattr(comparison, "usage_unavailable", {}), catalog))
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
        lines.append(f"- {_block(text) if markdown else text}")
    lines.append("")
    return lines
