"""The registry's usage reader for MySQL and MariaDB: the counters on a connection of
their own (when the catalog read did not take them along, see usage.py)."""

from __future__ import annotations

from indexdrift.core.errors import SourceError
from indexdrift.dialects.mysql.catalog import connect, parse_server_version
from indexdrift.dialects.mysql.usage import usage_on
from indexdrift.evidence import UsageReport
from indexdrift.sources.urls import DbUrl


def read_mysql_usage(url: DbUrl, env: str, schema: str | None = None) -> UsageReport:
    """Read counts and uptime; ``unavailable`` says why when the server keeps no counts.
    ``schema``: unused (the URL's database is the schema), for the registry's signature."""
    if not url.database:
        raise SourceError(env, f"{url.redacted} names no schema (mysql://user@host/SCHEMA)")
    conn = connect(url, env)
    try:
        return usage_on(conn, url, env, parse_server_version(conn.get_server_info())[0])
    finally:
        conn.close()
