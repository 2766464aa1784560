"""Index usage on PostgreSQL: ``pg_stat_user_indexes.idx_scan`` (and ``last_idx_scan`` on 16+).

The counters survive a clean restart and are lost after a crash or ``pg_stat_reset()``, so
the window is "since the statistics were reset" (``pg_stat_database.stats_reset``) when the
server knows that time; the uptime comes from ``pg_postmaster_start_time()``.
"""

from __future__ import annotations

from indexdrift.core.errors import SourceError
from indexdrift.dialects.postgresql.catalog import connect
from indexdrift.evidence import SCANS, SINCE_RESET, SINCE_UNKNOWN, UsageReport
from indexdrift.sources.urls import DbUrl, redact

WINDOW_QUERY = (
    "SELECT current_setting('server_version_num')::int, "
    "EXTRACT(EPOCH FROM now() - pg_postmaster_start_time())::bigint, "
    "EXTRACT(EPOCH FROM now() - stats_reset)::bigint "
    "FROM pg_stat_database WHERE datname = current_database()")


def read_postgres_usage(url: DbUrl, env: str, schema: str | None = None) -> UsageReport:
    """Read idx_scan per index; tables of ``schema`` (default: the URL's, else public) are
    keyed by their bare name, every table also by ``schema.table``."""
    import psycopg  # lazy: start-up imports no driver

    schema = schema or url.params.get("schema") or "public"
    # The catalog reader's connect (libpq options, TLS, timeouts), a second read of an env
    # whose password was warned about already.
    conn = connect(url, env, warn_password=False)
    try:
        version, uptime, since_reset = conn.execute(WINDOW_QUERY).fetchone()
        last = "last_idx_scan" if version >= 160000 else "NULL::timestamptz"
        rows = conn.execute(
            f"SELECT schemaname, relname, indexrelname, idx_scan, {last} "
            "FROM pg_stat_user_indexes").fetchall()
    except psycopg.Error as exc:
        raise SourceError(env, f"usage query failed on {url.redacted}: "
                          f"{redact(str(exc).strip())}") from None
    finally:
        conn.close()
    report = UsageReport(env, "pg_stat_user_indexes", SCANS,
                         SINCE_RESET if since_reset is not None else SINCE_UNKNOWN,
                         int(since_reset) if since_reset is not None else None, int(uptime),
                         exact_names=True)
    for nsp, table, index, scans, last_scan in rows:
        keys = [(f"{nsp}.{table}".lower(), index)]
        if nsp == schema:
            keys.append((table.lower(), index))
        for key in keys:
            report.counts[key] = int(scans or 0)
            if last_scan is not None:
                report.last_used[key] = last_scan.isoformat(timespec="seconds")
    return report
