"""PostgreSQL usage counters, shared by the two ways of reading them (usage.py): the
window query, the report, and the counters the catalog read takes along.

The catalog reader takes them when the run attaches usage (catalog.read_postgres
``usage``): the catalog query carries each index's counters (catalog_columns:
``pg_stat_get_numscans``, what the view's ``idx_scan`` is) and the window query follows on
the same connection (usage_from_catalog), so no second connection and no read of
``pg_stat_user_indexes`` is needed.
"""

from __future__ import annotations

from collections.abc import Iterable

from indexdrift.core.errors import SourceError
from indexdrift.evidence import SCANS, SINCE_RESET, SINCE_UNKNOWN, UsageReport
from indexdrift.sources.urls import DbUrl, redact

WINDOW_QUERY = (
    "SELECT current_setting('server_version_num')::int, "
    "EXTRACT(EPOCH FROM now() - pg_postmaster_start_time())::bigint, "
    "EXTRACT(EPOCH FROM now() - stats_reset)::bigint "
    "FROM pg_stat_database WHERE datname = current_database()")


def catalog_columns(server_version: int) -> str:
    """The usage columns the catalog query adds per index row: scans, last scan (16+).
    ``pg_stat_user_indexes`` defines ``idx_scan`` and ``last_idx_scan`` as these calls."""
    last = ("pg_stat_get_lastscan(x.indexrelid)" if server_version >= 160000
            else "NULL::timestamptz")
    return f"pg_stat_get_numscans(x.indexrelid) AS scans, {last} AS last_scan"


def usage_report(env: str, uptime, since_reset) -> UsageReport:
    """An empty report of the window query's uptime and seconds since the stats reset."""
    return UsageReport(env, "pg_stat_user_indexes", SCANS,
                       SINCE_RESET if since_reset is not None else SINCE_UNKNOWN,
                       int(since_reset) if since_reset is not None else None, int(uptime),
                       exact_names=True)


def count(report: UsageReport, keys: Iterable[tuple[str, str]], scans, last_scan) -> None:
    """Put one index's scans (and last scan, when known) under each of ``keys``."""
    for key in keys:
        report.counts[key] = int(scans or 0)
        if last_scan is not None:
            report.last_used[key] = last_scan.isoformat(timespec="seconds")


def failed(url: DbUrl, env: str, exc: Exception) -> SourceError:
    """The error of a usage query that failed (credential-free)."""
    return SourceError(env, f"usage query failed on {url.redacted}: "
                       f"{redact(str(exc).strip())}")


def usage_from_catalog(conn, rows: list[tuple], schema: str, url: DbUrl,
                       env: str) -> UsageReport:
    """The usage report of the catalog read: the window query on its open connection, the
    counters from its rows (catalog_columns: the last two of a row; NULL on a table's row
    without an index). The keys are those read_postgres_usage gives the indexes
    of ``schema`` (bare and ``schema.table``); the report is asked only of indexes the
    catalog read (evidence.attach). A failure raises SourceError (the caller's report says
    why the counters are missing)."""
    import psycopg  # lazy: start-up imports no driver

    try:
        uptime, since_reset = conn.execute(WINDOW_QUERY).fetchone()[1:]
    except psycopg.Error as exc:
        raise failed(url, env, exc) from None
    report = usage_report(env, uptime, since_reset)
    prefix = f"{schema}."
    counts, last_used = report.counts, report.last_used
    # Only the counters that are not 0: a report answers 0 for an index it has no count of
    # (UsageReport.evidence), and most rows of a large schema are 0 or NULL.
    for row in rows:
        scans, last_scan = row[-2], row[-1]
        if not scans and last_scan is None:
            continue
        table, index = row[0], row[2]
        keys = ((table.lower(), index), ((prefix + table).lower(), index))
        for key in keys:
            if scans:
                counts[key] = int(scans)
            if last_scan is not None:
                last_used[key] = last_scan.isoformat(timespec="seconds")
    return report
