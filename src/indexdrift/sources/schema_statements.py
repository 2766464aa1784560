"""Which statements of a schema file are loaded into the throw-away schema, which are
skipped, and which are refused (they would reach past it)."""

from __future__ import annotations

import re

from indexdrift.core.errors import TextError
from indexdrift.sources.schema_files import Statement

RUN, SKIP = "run", "skip"

_CONDITIONAL = re.compile(r"^/\*!\d*\s*")
# MySQL: a statement that picks or changes a database, or a table named in another one.
_MYSQL_DATABASE = re.compile(r"^(USE\b|(CREATE|DROP|ALTER)\s+(DATABASE|SCHEMA)\b)", re.I)
_IDENT = r"(`(?:[^`]|``)+`|[A-Za-z0-9_$]+)"
_MYSQL_QUALIFIED = re.compile(
    r"^(CREATE|ALTER|DROP|RENAME|TRUNCATE)\s+(?:TEMPORARY\s+|OR\s+REPLACE\s+)?"
    r"(?:TABLE|VIEW|TRIGGER|PROCEDURE|FUNCTION|EVENT|SEQUENCE)\s+"
    r"(?:IF\s+(?:NOT\s+)?EXISTS\s+)?" + _IDENT + r"\s*\.", re.I)
# ... or writes to one: CREATE INDEX ... ON db.t, INSERT INTO db.t, RENAME ... TO db.t.
_MYSQL_WRITES_QUALIFIED = re.compile(
    r"^(?:CREATE\s+(?:UNIQUE\s+|FULLTEXT\s+|SPATIAL\s+)?INDEX\s+\S+\s+ON|"
    r"(?:INSERT|REPLACE)\s+(?:IGNORE\s+)?INTO|UPDATE|DELETE\s+FROM)\s+" + _IDENT + r"\s*\.|"
    r"^(?:ALTER|RENAME)\s+TABLE\s.*\bTO\s+" + _IDENT + r"\s*\.", re.I | re.S)
# What changes the server rather than a schema: accounts, global settings, tablespaces.
_MYSQL_SERVER = re.compile(r"^((CREATE|DROP|ALTER|RENAME)\s+USER\b|SET\s+(GLOBAL|PERSIST)\b|"
                           r"SET\s+@@(GLOBAL|PERSIST)\.(?!GTID_PURGED\b)|"
                           r"(CREATE|DROP|ALTER)\s+(TABLESPACE|SERVER|LOGFILE)\b|"
                           r"INSTALL\s|UNINSTALL\s|SHUTDOWN\b|FLUSH\b|PURGE\b|RESET\s+MASTER)",
                           re.I)
# mysqldump of a GTID server: its GTID state and binary logging are the dump's
# server's business (SET @@GLOBAL.GTID_PURGED would rewrite the scratch server's); grants
# are not compared and the accounts need not exist.
# indexdrift's own database guard (migrate's scripts, ddl/session_ddl) stops a script run
# anywhere but the env's schema: a migration directory loaded into the throw-away schema
# runs anywhere else by design, so the guard is skipped (skipping never runs anything).
_MYSQL_SKIP = re.compile(r"^(SET\s+@@GLOBAL\.GTID_PURGED\b|SET\s+@@SESSION\.SQL_LOG_BIN\b|"
                         r"GRANT\b|REVOKE\b|"
                         r"SET\s+SESSION\s+sql_mode\s*=\s*IF\(NOT\s+IF\(@@lower_case_table_names"
                         r"\s*=\s*0,\s*BINARY\s+DATABASE\(\)\s*<=>.*'indexdrift: wrong database - "
                         r"this script is for ',)", re.I | re.S)
# PostgreSQL: the throw-away database is the only one; roles need not exist on the
# scratch server, and no owner or privilege is compared, so ALTER ... OWNER TO, GRANT,
# REVOKE and a switch of role are skipped.
_PG_DATABASE = re.compile(r"^((CREATE|DROP|ALTER)\s+(DATABASE|ROLE|USER|GROUP|TABLESPACE)\b|"
                          r"ALTER\s+SYSTEM\b)", re.I)
_PG_SKIP = re.compile(r"^(GRANT\b|REVOKE\b|ALTER\s.*\sOWNER\s+TO\s|SET\s+(SESSION\s+)?ROLE\b|"
                      r"RESET\s+ROLE\b|SET\s+SESSION\s+AUTHORIZATION\b|"
                      r"RESET\s+SESSION\s+AUTHORIZATION\b)", re.I | re.S)
# SQLite makes these itself (AUTOINCREMENT, ANALYZE); `.schema` prints them anyway.
_SQLITE_INTERNAL = re.compile(r"^CREATE\s+TABLE\s+(IF\s+NOT\s+EXISTS\s+)?[\"'`\[]?sqlite_",
                              re.I)
_SQLITE_DATABASE = re.compile(r"^(ATTACH|DETACH|VACUUM\s+INTO)\b", re.I)


def _shown(sql: str) -> str:
    words = sql.split()
    return " ".join(words[:3])[:60]


def disposition(statement: Statement, kind: str, env: str) -> str:
    """RUN or SKIP ``statement``; one that reaches past the throw-away schema is refused
    (TextError naming file:line)."""
    sql = _CONDITIONAL.sub("", statement.sql.lstrip())
    refused = {"mysql": (_MYSQL_DATABASE, _MYSQL_QUALIFIED, _MYSQL_WRITES_QUALIFIED,
                         _MYSQL_SERVER),
               "postgresql": (_PG_DATABASE,), "sqlite": (_SQLITE_DATABASE,)}[kind]
    if any(pattern.match(sql) for pattern in refused):
        raise TextError("schema.refused", env=env, where=statement.where,
                        statement=_shown(sql))
    if kind == "mysql" and _MYSQL_SKIP.match(sql):
        return SKIP
    if kind == "postgresql" and _PG_SKIP.match(sql):
        return SKIP
    if kind == "sqlite" and _SQLITE_INTERNAL.match(sql):
        return SKIP
    return RUN


def is_set(statement: Statement) -> bool:
    """True for a PostgreSQL ``SET`` of a session setting (a dump's header)."""
    return bool(re.match(r"^SET\s", statement.sql, re.I))
