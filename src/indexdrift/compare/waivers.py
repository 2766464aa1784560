"""Waivers: known, accepted differences. A waived finding stays in every report, marked
waived with its reason, and does not fail ``check``; once its waiver expires it fails again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from indexdrift.compare.tables import Comparison, Finding

if TYPE_CHECKING:  # waivers come from indexdrift.toml, parsed only when there is one
    from indexdrift.sources.config import Waiver


@dataclass(slots=True)
class WaiverReport:
    """What applying the waivers did: expired ones that matched, and ones matching nothing."""

    expired: list[tuple[Waiver, int]] = field(default_factory=list)  # waiver, findings hit
    unused: list[Waiver] = field(default_factory=list)

    def messages(self) -> list[str]:
        """One warning line per expired or unused waiver."""
        lines = [f"{w.describe()} expired on {w.expires}: its {n} finding(s) count as drift "
                 "again" for w, n in self.expired]
        lines += [f"{w.describe()} matches no finding; remove it from the config"
                  for w in self.unused]
        return lines


def _glob(value: str | None, pattern: str | None) -> bool:
    if pattern is None:
        return True
    return fnmatchcase((value or "").lower(), pattern.lower())


def waiver_covers(waiver: Waiver, finding: Finding) -> bool:
    """True when the waiver's env/table/index/column/kind patterns all match the finding.

    A waiver naming an index covers only that index's findings, one naming a column only
    that column's; one naming neither covers everything on the table.
    """
    column = getattr(finding, "column", None)
    index = finding.index or finding.env_index_name
    if waiver.index is not None and (index is None or column is not None):
        return False  # a waiver for one index never covers a whole table or a column
    if waiver.column is not None and (column is None or not _glob(column, waiver.column)):
        return False
    return (_glob(finding.env, waiver.env) and _glob(finding.table, waiver.table)
            and (waiver.index is None or _glob(index, waiver.index)
                 or _glob(finding.env_index_name, waiver.index))
            and (waiver.kind is None or waiver.kind == finding.kind))


def apply_waivers(comparison: Comparison, waivers: list[Waiver],
                  today: dt.date | None = None) -> WaiverReport:
    """Mark the findings that a current waiver covers (``finding.waived = reason``)."""
    today = today or dt.date.today()
    report = WaiverReport()
    hits = {w.number: 0 for w in waivers}
    for finding in comparison.findings:
        for waiver in waivers:
            if not waiver_covers(waiver, finding):
                continue
            hits[waiver.number] += 1
            if waiver.expires is None or today <= waiver.expires:
                finding.waived = waiver.reason
                break
    for waiver in waivers:
        count = hits[waiver.number]
        if count == 0:
            report.unused.append(waiver)
        elif waiver.expires is not None and today > waiver.expires:
            report.expired.append((waiver, count))
    return report


def open_findings(comparison: Comparison) -> list[Finding]:
    """The findings no waiver covers: the ones that fail ``check``."""
    return [f for f in comparison.findings if not getattr(f, "waived", None)]
