"""Usage evidence in words: "0 reads in 41 days (since restart)", "12,345 reads"."""

from __future__ import annotations

from datetime import datetime

from indexdrift.core.clock import format_moment
from indexdrift.core.i18n import Catalog
from indexdrift.evidence import (
    SINCE_RESET,
    SINCE_RESTART,
    SINCE_UNKNOWN,
    SINCE_USERSTAT,
    USERSTAT_OFF,
    UsageEvidence,
)


def duration_text(seconds: int, catalog: Catalog) -> str:
    """``41 days``, ``5 hours`` or ``12 minutes``: the largest whole unit."""
    if seconds >= 86400:
        return catalog.t("usage.days", count=f"{seconds // 86400:,}")
    if seconds >= 3600:
        return catalog.t("usage.hours", count=seconds // 3600)
    return catalog.t("usage.minutes", count=max(0, seconds) // 60)


def usage_text(ev: UsageEvidence, catalog: Catalog) -> str:
    """The evidence of one index as one phrase in the catalog's language."""
    if ev.unavailable == USERSTAT_OFF:
        return catalog.t("usage.off_userstat_short", env=ev.env)
    if ev.unavailable or ev.reads is None:
        return catalog.t("usage.unavailable_short", env=ev.env)
    values = dict(reads=f"{ev.reads:,}", unit=catalog.t(f"usage.unit.{ev.unit}"))
    if ev.since == SINCE_RESTART and ev.window_seconds is not None:
        text = catalog.t("usage.reads_since_restart",
                         days=duration_text(ev.window_seconds, catalog), **values)
    elif ev.since == SINCE_RESET and ev.window_seconds is not None:
        text = catalog.t("usage.reads_since_reset",
                         days=duration_text(ev.window_seconds, catalog), **values)
    elif ev.since in (SINCE_USERSTAT, SINCE_UNKNOWN) and ev.uptime_seconds is not None:
        text = catalog.t(f"usage.reads_{ev.since}",
                         days=duration_text(ev.uptime_seconds, catalog), **values)
    else:
        text = catalog.t("usage.reads", **values)
    if ev.last_used:
        text += catalog.t("usage.last_used", when=moment_text(ev.last_used))
    return text


def moment_text(iso: str) -> str:
    """An ISO time read from a server (PostgreSQL's last_idx_scan) in the report's time
    zone, as every time of a report is; a text that is no such time, as it is."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return format_moment(moment) if moment.tzinfo is not None else iso


def unavailable_warning(env: str, reason: str, catalog: Catalog) -> str:
    """Why an env has no usage counts, and how to turn them on (said once per env)."""
    if reason == USERSTAT_OFF:
        return catalog.t("usage.off_userstat", env=env)
    return catalog.t("usage.unavailable", env=env, reason=reason)


def unavailable_lines(unavailable: dict[str, str], catalog: Catalog) -> list[str]:
    """Why envs have no usage counts, one line per reason naming every env it concerns
    (``usage unknown in prd, dev: userstat is off (enable it ...)``): said once, in a
    report's summary or as a warning, rather than on every note."""
    envs_by_reason: dict[str, list[str]] = {}
    for env, reason in unavailable.items():
        envs_by_reason.setdefault(reason, []).append(env)
    return [unavailable_warning(", ".join(envs), reason, catalog)
            for reason, envs in envs_by_reason.items()]


def decides_drop(finding) -> bool:
    """True when usage evidence belongs on the finding's note and migration header: an
    index only the env has, where the counts decide whether it can go (a rebuild or a
    rename keeps the index, whatever its use)."""
    return finding.kind == "extra"


def usage_phrase(ev: UsageEvidence, env: str, index: str | None, catalog: Catalog) -> str:
    """The phrase for a finding of ``env`` about ``index``: says where the numbers come from
    when that is another env or another index name."""
    text = usage_text(ev, catalog)
    if ev.unavailable:
        return text
    if ev.env != env or (index is not None and ev.index.lower() != index.lower()):
        if index is not None and ev.index.lower() != index.lower():
            return catalog.t("usage.from_named", env=ev.env, name=ev.index, text=text)
        return catalog.t("usage.from", env=ev.env, text=text)
    return text


def usage_lines(findings: list, catalog: Catalog) -> list[str]:
    """``usage of orders.idx_x in dev: 0 reads in 41 days (since restart)`` per index only
    the env has (``decides_drop``) that carries evidence (for migration headers); the envs
    without counters once each at the end."""
    lines: list[str] = []
    unavailable: dict[str, str] = {}
    for finding in findings:
        if not decides_drop(finding):
            continue
        name = finding.env_index_name or finding.index
        for ev in (finding.usage, finding.baseline_usage):
            if ev is None:
                continue
            if ev.unavailable:
                unavailable.setdefault(ev.env, ev.unavailable)
            else:
                lines.append(f"{finding.table}.{name} ({finding.env}): "
                             + usage_phrase(ev, finding.env, name, catalog))
    lines.extend(unavailable_lines(unavailable, catalog))
    return lines
