"""MySQL / MariaDB literals and identifiers: quoted so a statement means the same under any
sql_mode, and the sql_mode pin around a statement whose literals need backslash escapes
(docs/security.md, "Literals mean the same under any server setting")."""

from __future__ import annotations

import re
from dataclasses import replace

from indexdrift.ddl.statement import Statement
from indexdrift.plan.notes import Note


def quote_ident(name: str) -> str:
    """A backtick-quoted identifier, embedded backticks doubled."""
    return "`" + name.replace("`", "``") + "`"


# Characters a plain '…' literal cannot hold as they are: a backslash (an escape, or not,
# by NO_BACKSLASH_ESCAPES), the line breaks (no literal may span lines: line-oriented tools
# such as Liquibase's formatted SQL read a line that starts with --rollback as a
# directive), NUL and Ctrl-Z (end of input for some clients).
_NEEDS_ESCAPE = re.compile(r"[\\\n\r\0\x1a]")
# A DEFAULT can be hex: it is for every control character but tab, and for the other
# line boundaries (U+0085, U+2028, U+2029), which a plain literal would hold raw.
_NOT_PLAIN = re.compile("[\\\\\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_BACKSLASH_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\0": "\\0", "\x1a": "\\Z"}


def quote_string(text: str) -> str:
    """A single-quoted string literal (quotes doubled) for a position that takes nothing
    but a plain literal (COMMENT of an index, column or table).

    Text without a backslash, line break, NUL or Ctrl-Z is written as it is and means the
    same under any sql_mode. Anything else needs backslash escapes (``\\\\``, ``\\n``): no
    plain literal holds a backslash under both readings, so the statement around it is
    pinned to the backslash-escaping mode (``pin_sql_mode``)."""
    body = text.replace("'", "''")
    if _NEEDS_ESCAPE.search(text):
        body = _NEEDS_ESCAPE.sub(lambda m: _BACKSLASH_ESCAPES[m.group(0)], body)
    return "'" + body + "'"


# Column types whose DEFAULT MariaDB keeps as expression text (re-read when the table is
# opened) instead of the value: a hex literal there comes back mangled (10.11 turns
# ``_utf8mb4 0x610a62`` into ``_utf8mb4'ax0Ab'``), a backslash-escaped literal stays exact.
_EXPRESSION_DEFAULT_TYPES = re.compile(r"^(tiny|medium|long)?(text|blob)\b|^json\b|^long\b")


def default_literal(value: str, column_type: str = "") -> str:
    """A string value where an expression may stand (a column DEFAULT): ``'…'`` when that
    reads the same under any sql_mode, else the exact UTF-8 bytes ``_utf8mb4 0x…``, which
    the server stores (and shows) as the plain literal of the same value. On a TEXT/BLOB
    column, whose default the server keeps as text, the backslash-escaped ``quote_string``
    form instead (its statement then runs under the sql_mode pin)."""
    if not _NOT_PLAIN.search(value):
        return "'" + value.replace("'", "''") + "'"
    if _EXPRESSION_DEFAULT_TYPES.match(column_type.lower()):
        return quote_string(value)
    return "_utf8mb4 0x" + value.encode("utf-8").hex()


# SQL text split into backtick identifiers, string literals (read with backslash escapes)
# and everything between.
_TOKENS = re.compile(r"`(?:[^`]|``)*`|'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.|\"\")*\"|[^`'\"]+|.",
                     re.DOTALL)

# One statement saves the session's sql_mode and drops NO_BACKSLASH_ESCAPES from it (every
# other mode kept); the value of each assignment is read before any is made.
SQL_MODE_PIN = ("SET @indexdrift_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = "
                "TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), "
                "',NO_BACKSLASH_ESCAPES,', ','));")
SQL_MODE_RESTORE = "SET SESSION sql_mode = @indexdrift_sql_mode;"


def depends_on_sql_mode(sql: str) -> bool:
    """True when a string literal in ``sql`` holds a backslash: NO_BACKSLASH_ESCAPES
    would then change what it says (or where it ends)."""
    return any(token[0] in "'\"" and "\\" in token for token in _TOKENS.findall(sql))


def pin_sql_mode(sql: str) -> str:
    """``sql`` with the pin and the restore around it as one text (for a commented-out
    statement: it stays exact when someone runs it), or as it is when no literal of it
    has a backslash."""
    if not depends_on_sql_mode(sql):
        return sql
    return "\n".join((SQL_MODE_PIN, sql, SQL_MODE_RESTORE))


def pinned_statements(statement: Statement) -> list[Statement]:
    """An executable statement whose literals need backslash escapes, between a statement
    that turns NO_BACKSLASH_ESCAPES off (saying why) and one that restores the session's
    sql_mode: it then does exactly what it shows under any server setting, and every
    tool keeps the three together (one table's statements stay in one file / changeset).
    Any other statement comes back alone (a commented-out one pinned inside its text)."""
    if not depends_on_sql_mode(statement.sql):
        return [statement]
    if statement.commented:
        return [replace(statement, sql=pin_sql_mode(statement.sql))]
    pin = Statement(SQL_MODE_PIN, statement.table, [Note("migrate.mysql.sql_mode_pinned")])
    return [pin, statement, Statement(SQL_MODE_RESTORE, statement.table)]
