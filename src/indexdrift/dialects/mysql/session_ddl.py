"""MySQL / MariaDB statements a script runs before its DDL, and ``--guard`` statements.

Both stop a script without a compound statement: ``SET SESSION sql_mode`` to a value
that is no sql_mode fails (error 1231, which quotes the value, so the reason reads in the
error), and setting it to itself changes nothing. That works in the ``mariadb`` / ``mysql``
client without ``DELIMITER``, in every migration tool and on MySQL too (which has no
compound statements outside stored programs, so no ``IF … SIGNAL`` there). ``USE`` is
not written: it would silently move a tool that already chose its database (its history
table stays behind); a guard stops instead.
"""

from __future__ import annotations

from indexdrift.ddl.statement import Statement
from indexdrift.dialects.mysql.literals import default_literal
from indexdrift.plan.notes import Note

# The value is cut at its first comma in the server's error message: none before the name.
_WRONG_DATABASE = "indexdrift: wrong database - this script is for "
_DUPLICATES = "indexdrift: duplicate rows - "


def fail_when(condition: str, message_sql: str) -> str:
    """A statement that fails with ``message_sql`` (an SQL string expression) quoted in
    the error when ``condition`` is true, and does nothing otherwise."""
    return (f"SET SESSION sql_mode = IF({condition}, {message_sql}, "
            "@@SESSION.sql_mode);")


def schema_guard_sql(schema: str) -> str:
    """Fails unless the session's database is ``schema`` (names compared as the server
    does: exactly, or lower-cased under lower_case_table_names 1 and 2). The name is a
    literal that means the same under any sql_mode (hex bytes when it needs escapes)."""
    name = default_literal(schema)
    same = (f"IF(@@lower_case_table_names = 0, BINARY DATABASE() <=> BINARY {name}, "
            f"LOWER(DATABASE()) <=> LOWER({name}))")
    return fail_when(f"NOT {same}", f"CONCAT('{_WRONG_DATABASE}', {name})")


def lock_timeout_sql(milliseconds: int) -> str:
    """``SET SESSION lock_wait_timeout = N``: whole seconds, at least 1 (MySQL's least)."""
    return f"SET SESSION lock_wait_timeout = {max(1, -(-milliseconds // 1000))};"


def script_preamble(schema: str | None, lock_timeout_ms: int | None,
                    table: str = "") -> list[Statement]:
    """The statements at the top of a script (and of its rollback): the database guard
    (when the env's schema is known) and the metadata-lock wait limit."""
    out: list[Statement] = []
    if schema:
        out.append(Statement(schema_guard_sql(schema), table,
                             [Note("migrate.session.mysql_guard", schema=schema)]))
    if lock_timeout_ms is not None:
        seconds = max(1, -(-lock_timeout_ms // 1000))
        out.append(Statement(lock_timeout_sql(lock_timeout_ms), table,
                             [Note("migrate.session.mysql_lock", seconds=seconds)]))
    return out


def count_sql(duplicates: str) -> str:
    """The number of duplicate groups ``duplicates`` (a SELECT, no ``;``) finds."""
    return f"SELECT COUNT(*) FROM ({duplicates}) AS indexdrift_duplicates"


def guard_statement(what: str, duplicates: str, table: str) -> Statement:
    """``--guard``: a statement that stops the script when ``duplicates`` finds rows."""
    message = f"CONCAT('{_DUPLICATES}', {default_literal(what)})"
    return Statement(fail_when(f"EXISTS ({duplicates})", message), table,
                     [Note("migrate.guard.duplicates", what=what)])
