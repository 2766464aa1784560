"""Index usage on MySQL and MariaDB.

MySQL: ``performance_schema.table_io_waits_summary_by_index_usage`` (``COUNT_READ``, rows
read through the index since the server started or the table was truncated). MariaDB has
Performance Schema off by default; there ``information_schema.INDEX_STATISTICS`` counts
rows read when ``userstat`` is on (only indexes that were read have a row). Uptime comes
from the ``Uptime`` status variable. The catalog reader reads them on its own connection
when the run attaches usage (catalog.read_mysql ``usage``); usage_reader.py on a new one.
"""

from __future__ import annotations

from indexdrift.core.errors import SourceError
from indexdrift.evidence import ROWS, SINCE_RESTART, SINCE_USERSTAT, USERSTAT_OFF, UsageReport
from indexdrift.sources.urls import DbUrl, redact

PERFORMANCE_SCHEMA_OFF = ("performance_schema is off (set performance_schema=ON in my.cnf; "
                          "it needs a restart)")
INSTRUMENT_OFF = ("the performance_schema instrument wait/io/table/sql/handler is disabled "
                  "(UPDATE performance_schema.setup_instruments SET ENABLED='YES' "
                  "WHERE NAME='wait/io/table/sql/handler')")

PERFORMANCE_SCHEMA_QUERY = (
    "SELECT OBJECT_NAME, INDEX_NAME, COUNT_READ "
    "FROM performance_schema.table_io_waits_summary_by_index_usage "
    "WHERE OBJECT_SCHEMA = %s AND INDEX_NAME IS NOT NULL")
USERSTAT_QUERY = (
    "SELECT TABLE_NAME, INDEX_NAME, ROWS_READ FROM information_schema.INDEX_STATISTICS "
    "WHERE TABLE_SCHEMA = %s")


def _text(value: object) -> str:
    return bytes(value).decode() if isinstance(value, bytes | bytearray) else str(value)


def _variables(cur, sql: str) -> dict[str, str]:
    cur.execute(sql)
    return {_text(name).lower(): _text(value) for name, value in cur.fetchall()}


def usage_on(conn, url: DbUrl, env: str, flavor: str) -> UsageReport:
    """Read counts and uptime of the URL's schema on an open connection (the catalog
    read's, or usage_reader's own); ``unavailable`` says why when the server keeps no
    counts."""
    import pymysql  # lazy: start-up imports no driver

    try:
        with conn.cursor() as cur:
            settings = _variables(cur, "SHOW GLOBAL VARIABLES WHERE Variable_name IN "
                                       "('performance_schema', 'userstat')")
            uptime = int(_variables(cur, "SHOW GLOBAL STATUS LIKE 'Uptime'").get("uptime", 0))
            userstat = settings.get("userstat", "OFF").upper() in ("ON", "1")
            perf = settings.get("performance_schema", "OFF").upper() in ("ON", "1")
            if flavor == "mariadb" and userstat:
                report = UsageReport(env, "userstat", ROWS, SINCE_USERSTAT, None, uptime)
                cur.execute(USERSTAT_QUERY, (url.database,))
            elif perf:
                report = UsageReport(env, "performance_schema", ROWS, SINCE_RESTART, uptime,
                                     uptime)
                cur.execute("SELECT ENABLED FROM performance_schema.setup_instruments "
                            "WHERE NAME = 'wait/io/table/sql/handler'")
                row = cur.fetchone()
                if row is not None and _text(row[0]).upper() != "YES":
                    report.unavailable = INSTRUMENT_OFF
                    return report
                cur.execute(PERFORMANCE_SCHEMA_QUERY, (url.database,))
            else:
                reason = USERSTAT_OFF if flavor == "mariadb" else PERFORMANCE_SCHEMA_OFF
                return UsageReport(env, "userstat" if flavor == "mariadb"
                                   else "performance_schema", uptime_seconds=uptime,
                                   unavailable=reason)
            for table, index, reads in cur.fetchall():
                key = (_text(table).lower(), _text(index).lower())
                report.counts[key] = report.counts.get(key, 0) + int(reads or 0)
            return report
    except pymysql.err.MySQLError as exc:
        raise SourceError(env, f"usage query failed on {url.redacted}: "
                          f"{redact(str(exc))}") from None
