"""The report summary as data: per env counts by kind, sources, servers, when it was made.

Shared by the HTML, Excel and Markdown reports so that they say the same thing.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from indexdrift.compare.tables import KINDS, Comparison, Finding
from indexdrift.core.clock import format_moment

# Always counted, even at zero; other kinds (columns…) only when a report has them.
INDEX_KINDS = ("missing", "extra", "changed", "renamed", "table_missing", "table_extra")


@dataclass(slots=True)
class EnvLine:
    """One env of the report: where it was read from and, unless baseline, its counts."""

    env: str
    source: str  # already redacted by the reader: never carries a password
    schema: str | None
    server: str | None  # "mysql 8.0.36" when the reader knew it
    is_baseline: bool
    counts: dict[str, int] = field(default_factory=dict)  # kind -> findings
    waived: int = 0

    @property
    def total(self) -> int:
        """All findings of the env."""
        return sum(self.counts.values())


@dataclass(slots=True)
class Summary:
    """What the top of a report says."""

    baseline: str
    generated: str  # in the report's zone, ``2025-01-31 18:30 +09:00 KST``
    envs: list[EnvLine]
    findings: int
    kinds: tuple[str, ...] = INDEX_KINDS  # the columns of the counts table

    @property
    def compared(self) -> list[EnvLine]:
        """The envs compared with the baseline."""
        return [e for e in self.envs if not e.is_baseline]


def is_waived(finding: Finding) -> bool:
    """True when a waiver (indexdrift.toml) accepts the finding."""
    # getattr: reports also render comparisons made before waivers existed.
    return bool(getattr(finding, "waived", None))


def unread_envs(comparison: Comparison) -> dict[str, str]:
    """Envs (fleet targets) that could not be read, with the cause."""
    return dict(getattr(comparison, "incomplete", None) or {})


def generated_at() -> str:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible reports), in the report's time
    zone (``--tz``, default the machine's): ``2026-01-01 09:00 +09:00 KST``."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit()
              else datetime.now(UTC))
    return format_moment(moment)


def build_summary(comparison: Comparison) -> Summary:
    """Baseline first, then the compared envs in order, each with its counts by kind."""
    lines: list[EnvLine] = []
    names = [comparison.baseline] + [e for e in comparison.envs if e != comparison.baseline]
    by_env: dict[str, Counter] = {name: Counter() for name in names}
    waived: Counter = Counter()
    for finding in comparison.findings:
        by_env.setdefault(finding.env, Counter())[finding.kind] += 1
        if is_waived(finding):
            waived[finding.env] += 1
    for name in names:
        snap = comparison.snapshots.get(name)
        if snap is None:
            continue
        server = None
        if snap.flavor:
            server = snap.flavor + (f" {snap.version}" if snap.version else "")
        lines.append(EnvLine(name, snap.source, snap.schema, server,
                             name == comparison.baseline,
                             {k: by_env[name][k] for k in KINDS}, waived[name]))
    present = {f.kind for f in comparison.findings}
    kinds = tuple(k for k in KINDS if k in INDEX_KINDS or k in present)
    return Summary(comparison.baseline, generated_at(), lines, len(comparison.findings), kinds)
