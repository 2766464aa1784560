"""Column definitions of a live MySQL/MariaDB schema: one query on information_schema.COLUMNS.

Run by sources/mysql.py on the connection of the catalog read, only for ``--objects
columns``, so the default index comparison keeps its single query.
"""

from __future__ import annotations

import warnings as pywarnings

from indexdrift.core.errors import SourceError
from indexdrift.dialects.mysql.objects import MARIADB_CHECK_LEVEL
from indexdrift.model.column_text import column_from_row
from indexdrift.model.tables import Column
from indexdrift.sources.urls import DbUrl, redact

FIELDS = ("TABLE_NAME", "COLUMN_NAME", "ORDINAL_POSITION", "COLUMN_DEFAULT", "IS_NULLABLE",
          "DATA_TYPE", "COLUMN_TYPE", "CHARACTER_SET_NAME", "COLLATION_NAME", "EXTRA",
          "COLUMN_COMMENT", "GENERATION_EXPRESSION")

QUERY = ("SELECT c.TABLE_NAME, c.COLUMN_NAME, c.ORDINAL_POSITION, c.COLUMN_DEFAULT, "
         "c.IS_NULLABLE, c.DATA_TYPE, c.COLUMN_TYPE, c.CHARACTER_SET_NAME, c.COLLATION_NAME, "
         "c.EXTRA, c.COLUMN_COMMENT, c.GENERATION_EXPRESSION "
         "FROM information_schema.COLUMNS c JOIN information_schema.TABLES t "
         "ON t.TABLE_NAME = c.TABLE_NAME "
         "WHERE c.TABLE_SCHEMA = %s AND t.TABLE_SCHEMA = %s AND t.TABLE_TYPE = 'BASE TABLE'")
# Each view is filtered on its own schema column and the two are not equated in the join:
# MariaDB 10.11 would then open every database's tables for TABLES (EXPLAIN: "Scanned all
# databases"), seconds on a server with tens of thousands of tables elsewhere.

# MariaDB keeps a column-level CHECK (a JSON column's implicit json_valid(`c`) among them)
# with its column: a MODIFY, CHANGE or ADD COLUMN without it drops it. It is named after
# its column (one per column); LEVEL (10.5.10+) tells it from a table CHECK of that name.
# A query of its own: joined to COLUMNS, the view is filled for every schema (seconds).
CHECKS_QUERY = ("SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE "
                "FROM information_schema.CHECK_CONSTRAINTS "
                "WHERE CONSTRAINT_SCHEMA = %s AND LEVEL = 'Column'")


def reads_column_checks(flavor: str, version: tuple[int, ...]) -> bool:
    """True when the server shows which CHECK is a column's own (MariaDB 10.5.10+);
    elsewhere a column's check stays unknown (None)."""
    return flavor == "mariadb" and tuple(version) >= MARIADB_CHECK_LEVEL


def _text(value: object) -> object:
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    return value


def columns_from_rows(rows: list[tuple], flavor: str, check_rows: list[tuple] | None = None
                      ) -> dict[str, dict[str, Column]]:
    """Rows in FIELDS order → {table: {lower-cased column name: Column}} in column order;
    ``check_rows`` (CHECKS_QUERY's) give the columns their own CHECK."""
    checks = {(str(_text(t)), str(_text(c)).lower()): _text(clause)
              for t, c, clause in check_rows or ()}
    tables: dict[str, dict[str, Column]] = {}
    for row in sorted(rows, key=lambda r: (str(_text(r[0])), int(r[2]))):
        record = {name: _text(value) for name, value in zip(FIELDS, row, strict=True)}
        record["COLUMN_CHECK"] = checks.get((record["TABLE_NAME"],
                                             str(record["COLUMN_NAME"]).lower()))
        column = column_from_row(record, flavor)
        tables.setdefault(record["TABLE_NAME"], {})[column.name_key] = column
    return tables


def fetch_column_rows(conn, query: str, url: DbUrl, env: str) -> list[tuple]:
    """Every row of a column query on the URL's schema (each of its parameters); a server
    error names the env and the (redacted) URL."""
    import pymysql  # lazy: start-up imports no driver

    try:
        with conn.cursor() as cur, pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            cur.execute(query, (url.database,) * query.count("%s"))
            return list(cur.fetchall())
    except pymysql.err.MySQLError as exc:
        raise SourceError(env, f"column query failed on {url.redacted}: "
                          f"{redact(str(exc))}") from None
