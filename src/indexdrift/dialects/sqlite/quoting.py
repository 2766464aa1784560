"""SQLite identifier quoting and the CREATE INDEX text, shared by the DDL modules."""

from __future__ import annotations

import re

from indexdrift.model.tables import Index, KeyPart


def quote_ident(name: str) -> str:
    """A double-quoted identifier, embedded double quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


_FUNCTION_HEAD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*\s*\(")


def _closes_at_end(text: str, start: int) -> bool:
    """True when the ``(`` at ``start`` is closed by the last character of ``text``
    (quoted strings and names skipped, so a ')' inside one does not count)."""
    depth, i, quote = 0, start, None
    while i < len(text):
        char = text[i]
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"`[":
            quote = "]" if char == "[" else char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i == len(text) - 1
        i += 1
    return False


def _expression_sql(expression: str, collated: bool) -> str:
    """An index key's expression: SQLite's indexed column is any expression, so it is
    written as the reader gave it (the stored ``(lower(email))`` stays that, not
    ``((lower(email)))``); wrapped in parentheses only where a ``COLLATE`` after it would
    bind to its last operand alone (``a || b COLLATE NOCASE``): not after a function
    call or an expression already in parentheses."""
    text = expression.strip()
    head = _FUNCTION_HEAD.match(text)
    atomic = (text.startswith("(") and _closes_at_end(text, 0)) or (
        head is not None and _closes_at_end(text, head.end() - 1))
    return text if atomic or not collated else f"({text})"


def key_part_sql(part: KeyPart) -> str:
    """``"col" COLLATE NOCASE DESC`` or ``expr`` (``_expression_sql``)."""
    text = (quote_ident(part.column) if part.column is not None
            else _expression_sql(part.expression or "", bool(part.collation)))
    if part.collation:
        text += f" COLLATE {part.collation}"
    if part.descending:
        text += " DESC"
    return text


def create_index_sql(index: Index) -> str:
    """``CREATE [UNIQUE] INDEX "n" ON "t" (...) [WHERE ...];``."""
    kind = "UNIQUE INDEX" if index.unique else "INDEX"
    text = (f"CREATE {kind} {quote_ident(index.name)} ON {quote_ident(index.table)} ("
            + ", ".join(key_part_sql(p) for p in index.parts) + ")")
    if index.predicate:
        text += f" WHERE {index.predicate}"
    return text + ";"
