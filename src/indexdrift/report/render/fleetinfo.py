"""Each fleet's target count as report lines and JSON, shared by every format.

A schema pattern finds only the schemas the account can see, so a report says how many
targets each fleet had (and what ``min_targets`` / ``expect_targets`` asked for): a
fleet that shrank is then visible even when every target read was clean.
"""

from __future__ import annotations

from indexdrift.compare.tables import Comparison
from indexdrift.core.i18n import Catalog


def fleet_lines(comparison: Comparison, catalog: Catalog) -> list[str]:
    """One line per fleet env: its target count, how many were read, what was expected."""
    lines = []
    for count in getattr(comparison, "fleets", None) or []:
        if count.matched is None:
            lines.append(catalog.t("fleet.unknown", env=count.env))
            continue
        if count.pattern is not None:
            line = catalog.t("fleet.pattern", env=count.env, count=count.matched,
                             pattern=f"'{count.pattern}'")
        else:
            line = catalog.t("fleet.listed", env=count.env, count=count.matched)
        parts = []
        if count.read != count.matched:
            parts.append(catalog.t("fleet.read", count=count.read))
        if count.expect_targets is not None:
            parts.append(catalog.t("fleet.expect", count=count.expect_targets))
        elif count.min_targets is not None:
            parts.append(catalog.t("fleet.min", count=count.min_targets))
        if count.shortfall() is not None:
            parts.append(catalog.t("fleet.not_met"))
        lines.append(line + (" (" + "; ".join(parts) + ")" if parts else ""))
    return lines


def fleets_json(comparison: Comparison) -> list[dict]:
    """The ``fleets`` field of the JSON report (schema/indexdrift-report.schema.json)."""
    return [{"env": c.env, "pattern": c.pattern, "targets": c.matched, "read": c.read,
             "min_targets": c.min_targets, "expect_targets": c.expect_targets,
             "ok": c.shortfall() is None}
            for c in getattr(comparison, "fleets", None) or []]
