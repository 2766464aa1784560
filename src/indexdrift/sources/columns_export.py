"""``indexdrift export URL --objects columns``: a live schema's columns as the CSV the
column readers take (information_schema.COLUMNS for MySQL/MariaDB, the PostgreSQL column
CSV of pgcsv.py)."""

from __future__ import annotations

import csv
import io

from indexdrift.core.errors import IndexDriftError
from indexdrift.dialects.mysql.catalog import connect, parse_server_version
from indexdrift.dialects.mysql.columns import fetch_column_rows
from indexdrift.dialects.mysql.columns_csv import EXPORT_FIELDS
from indexdrift.dialects.postgresql.catalog import read_postgres_catalog
from indexdrift.dialects.postgresql.columns_csv import columns_csv_text
from indexdrift.sources.urls import env_url, is_url


def export_columns_csv(source: str, env: str) -> tuple[str, int, int]:
    """information_schema.COLUMNS of a live MySQL/MariaDB schema as CSV text, the way a
    plain query exports it (NULL as ``NULL``), with the number of columns and tables.
    A PostgreSQL URL gets the PostgreSQL column CSV (columns/pgcsv.py).

    The view's own flavor column (MariaDB's IS_GENERATED, MySQL 8.0's SRS_ID) is added so
    the reader never has to tell the flavor from the values.
    """
    if not is_url(source):
        raise IndexDriftError(f"env {env}: {source} is a file; export columns from a live "
                              "MySQL/MariaDB URL")
    url = env_url(source, env)
    if url.kind == "postgresql":
        # PostgreSQL's own view cannot hold what is compared: its own format (pgcsv.py).
        return export_pg_columns_csv(url, env)
    if url.kind != "mysql":
        raise IndexDriftError(f"env {env}: column export writes information_schema.COLUMNS "
                              f"of MySQL/MariaDB (or PostgreSQL's column CSV); {url.kind} is "
                              "not supported")
    conn = connect(url, env)
    try:
        flavor, version = parse_server_version(conn.get_server_info())
        marker = ("IS_GENERATED" if flavor == "mariadb"
                  else "SRS_ID" if version >= (8, 0, 0) else None)
        fields = EXPORT_FIELDS + ((marker,) if marker else ())
        query = ("SELECT " + ", ".join(f"c.{f}" for f in fields)
                 + " FROM information_schema.COLUMNS c JOIN information_schema.TABLES t "
                 "ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME "
                 "WHERE c.TABLE_SCHEMA = %s AND t.TABLE_TYPE = 'BASE TABLE' "
                 "ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION")
        rows = fetch_column_rows(conn, query, url, env)
    finally:
        conn.close()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for row in rows:
        writer.writerow(["NULL" if v is None else _text(v) for v in row])
    return out.getvalue(), len(rows), len({r[1] for r in rows})


def export_pg_columns_csv(url, env: str) -> tuple[str, int, int]:
    """A live PostgreSQL schema's columns as CSV text, with the number of columns and
    tables (``url`` is a parsed ``DbUrl``)."""
    version, schema, tables = read_postgres_catalog(url, env)
    count = sum(len(cols) for cols in tables.values())
    return columns_csv_text(version, schema, tables), count, len(tables)


def _text(value: object) -> str:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)
