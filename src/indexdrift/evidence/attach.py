"""Put usage evidence on compare findings (live sources only; files carry no usage)."""

from __future__ import annotations

from indexdrift.compare.tables import (
    EXTRA,
    MISSING,
    TABLE_EXTRA,
    TABLE_MISSING,
    Comparison,
    Finding,
)
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Message
from indexdrift.evidence import UsageEvidence, UsageReport, read_usage, unreadable
from indexdrift.model.tables import Index, Table
from indexdrift.sources.envspec import EnvSpec
from indexdrift.sources.urls import is_url


def _read(spec: EnvSpec, schema: str | None) -> UsageReport | None:
    try:
        return read_usage(spec.source, spec.name, schema)
    except IndexDriftError as exc:
        return unreadable(spec.name, exc)


def read_reports(comparison: Comparison, specs: list[EnvSpec],
                 envs: set[str]) -> dict[str, UsageReport]:
    """Usage reports of the live envs among ``envs``: those the catalog read took on its
    connection (``Snapshot.usage``), the others read now, concurrently."""
    taken = {s.name: report for s in specs if s.name in envs
             and (report := getattr(comparison.snapshots.get(s.name), "usage", None))
             is not None}
    # Files carry no usage (read_usage gives None at once): no pool for them.
    chosen = [s for s in specs if s.name in envs and s.name not in taken and is_url(s.source)]
    if not chosen:
        return _in_order(specs, envs, dict(taken))
    # lazy: the pool (and the logging module it imports) only when a server is asked
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=min(4, len(chosen)))
    try:
        futures = {s.name: pool.submit(_read, s, comparison.snapshots[s.name].schema)
                   for s in chosen}
        reports = {name: f.result() for name, f in futures.items()}
    except BaseException:
        # Interrupted: a server that is slow to answer must not hold the exit.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return _in_order(specs, envs, {**reports, **taken})


def _in_order(specs: list[EnvSpec], envs: set[str],
              reports: dict[str, UsageReport | None]) -> dict[str, UsageReport]:
    """The reports in the envs' order (their warnings are printed in it)."""
    return {s.name: found for s in specs
            if s.name in envs and (found := reports.get(s.name)) is not None}


def _table(comparison: Comparison, env: str, name: str) -> Table | None:
    tables = comparison.snapshots[env].tables
    found = tables.get(name)
    if found is None:
        folded = [t for key, t in tables.items() if key.lower() == name.lower()]
        found = folded[0] if len(folded) == 1 else None
    return found


def counterpart(table: Table | None, index: Index) -> Index | None:
    """The index of ``table`` that is ``index``: same name and shape, else same shape
    under another name, else same name."""
    if table is None:
        return None
    same_name = table.indexes.get(index.name_key)
    if same_name is not None and same_name.equivalent(index):
        return same_name
    for other in sorted(table.indexes.values(), key=lambda ix: ix.name_key):
        if other.equivalent(index):
            return other
    return same_name


def _evidence(comparison: Comparison, reports: dict[str, UsageReport], env: str,
              finding: Finding, index: Index | None) -> UsageEvidence | None:
    report = reports.get(env)
    if report is None or index is None:
        return None
    if env == finding.env:
        return report.evidence(finding.table, index.name)
    table = _table(comparison, env, finding.table)
    other = counterpart(table, index)
    if other is None:
        return None
    return report.evidence(table.name, other.name)


def attach_usage(comparison: Comparison, specs: list[EnvSpec],
                 usage_from: str | None = None) -> dict[str, UsageReport]:
    """Set ``finding.usage`` (from the finding's env, or ``usage_from``) and, for indexes
    only the env has, ``finding.baseline_usage`` when the baseline has the same index under
    another name. Returns the reports read."""
    if usage_from is not None and usage_from not in comparison.snapshots:
        raise IndexDriftError(Message("error.usage_from", env=usage_from,
                                      envs=", ".join(comparison.snapshots)))
    wanted = {usage_from} if usage_from else set(comparison.envs)
    wanted.add(comparison.baseline)
    reports = read_reports(comparison, specs, wanted)
    comparison.usage_unavailable = {name: report.unavailable
                                    for name, report in reports.items() if report.unavailable}
    for finding in comparison.findings:
        if finding.kind in (TABLE_MISSING, TABLE_EXTRA):
            continue
        source_env = usage_from or finding.env
        index = finding.current
        if finding.kind == MISSING:
            # Nothing to read in the env; another env may still have it.
            index = finding.baseline if source_env != finding.env else None
        finding.usage = _evidence(comparison, reports, source_env, finding, index)
        if finding.kind == EXTRA and source_env != comparison.baseline:
            finding.baseline_usage = _evidence(comparison, reports, comparison.baseline,
                                               finding, finding.current)
    return reports
