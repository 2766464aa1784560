"""Index usage on PostgreSQL: ``pg_stat_user_indexes.idx_scan`` (and ``last_idx_scan`` on 16+).

The counters survive a clean restart and are lost after a crash or ``pg_stat_reset()``, so
the window is "since the statistics were reset" (``pg_stat_database.stats_reset``) when the
server knows that time; the uptime comes from ``pg_postmaster_start_time()``.

This is the registry's usage reader: the view on a connection of its own, for envs whose
catalog read did not take the counters along (usage_counters.py).
"""

from __future__ import annotations

from indexdrift.dialects.postgresql.catalog import connect
from indexdrift.dialects.postgresql.usage_counters import WINDOW_QUERY, count, failed, usage_report
from indexdrift.evidence import UsageReport
from indexdrift.sources.urls import DbUrl


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
        raise failed(url, env, exc) from None
    finally:
        conn.close()
    report = usage_report(env, uptime, since_reset)
    for nsp, table, index, scans, last_scan in rows:
        keys = [(f"{nsp}.{table}".lower(), index)]
        if nsp == schema:
            keys.append((table.lower(), index))
        count(report, keys, scans, last_scan)
    return report
