"""PostgreSQL statements a script runs before its DDL, and ``--guard`` statements.

Names are schema-qualified in every statement (``SET search_path`` where a column or
table statement needs it), so the top of a script sets only ``lock_timeout``: a DDL that
waits longer for its lock fails instead of queueing every query behind it. A guard is a
``DO`` block raising an exception, dollar-quoted with a tag its text does not contain.
"""

from __future__ import annotations

from indexdrift.ddl.statement import Statement
from indexdrift.dialects.postgresql.literals import quote_string
from indexdrift.plan.notes import Note


def _duration(milliseconds: int) -> str:
    return f"{milliseconds // 1000}s" if milliseconds % 1000 == 0 else f"{milliseconds}ms"


def lock_timeout_sql(milliseconds: int) -> str:
    """``SET lock_timeout = '10s'`` (``'1500ms'`` when not whole seconds)."""
    return f"SET lock_timeout = '{_duration(milliseconds)}';"


def script_preamble(schema: str | None, lock_timeout_ms: int | None,
                    table: str = "") -> list[Statement]:
    """The statements at the top of a script (and of its rollback): the lock wait limit."""
    if lock_timeout_ms is None:
        return []
    return [Statement(lock_timeout_sql(lock_timeout_ms), table,
                      [Note("migrate.session.postgresql_lock",
                            timeout=_duration(lock_timeout_ms))])]


def dollar_quote(body: str) -> tuple[str, str]:
    """A dollar-quote tag that does not occur in ``body`` (so no text of it, a name or a
    string, can end the quote): ``$indexdrift$``, else ``$indexdrift_1$``, …"""
    tag, n = "$indexdrift$", 0
    while tag in body:
        n += 1
        tag = f"$indexdrift_{n}$"
    return tag, body


def count_sql(duplicates: str) -> str:
    """The number of duplicate groups ``duplicates`` (a SELECT, no ``;``) finds."""
    return f"SELECT count(*) FROM ({duplicates}) AS indexdrift_duplicates"


def guard_statement(what: str, duplicates: str, table: str) -> Statement:
    """``--guard``: a ``DO`` block that raises an exception when ``duplicates`` finds rows."""
    body = (f" BEGIN IF EXISTS ({duplicates}) THEN RAISE EXCEPTION "
            f"'indexdrift: duplicate rows - %', {quote_string(what)}; END IF; END ")
    tag, body = dollar_quote(body)
    return Statement(f"DO {tag}{body}{tag};", table,
                     [Note("migrate.guard.duplicates", what=what)])
