"""PostgreSQL identifiers and literals: quoted so a statement means the same under either
``standard_conforming_strings`` and no literal spans lines (docs/security.md, "Literals
mean the same under any server setting")."""

from __future__ import annotations

import re


def quote_ident(name: str) -> str:
    """A double-quoted identifier, embedded double quotes doubled (case kept exactly)."""
    return '"' + name.replace('"', '""') + '"'


# Characters a standard '…' literal cannot hold as they are: a backslash (an escape when
# standard_conforming_strings is off) and control characters, line breaks above all (no
# literal may span lines: line-oriented tools read a line that starts with --rollback as
# a directive). Python's line boundaries (U+0085, U+2028, U+2029) count as line breaks.
_UNSAFE = re.compile("[\\\\\x00-\x1f\x7f-\x9f\u2028\u2029]")
_E_ESCAPES = {"\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _e_escape(ch: str) -> str:
    if ch in _E_ESCAPES:
        return _E_ESCAPES[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x80 else f"\\u{ord(ch):04x}"


def quote_string(text: str) -> str:
    """A string literal that means the same under either ``standard_conforming_strings``:
    ``'…'`` (quotes doubled) for text without backslashes and control characters, else an
    escape string ``E'…'`` whose backslashes, line breaks and control characters are
    escapes (``\\\\``, ``\\n``, ``\\x01``), so it never spans lines either.

    A literal that carries its own meaning stays exact in any piece a tool cuts the script
    into (a SET at the top would not reach a file run on another connection)."""
    if not _UNSAFE.search(text):
        return "'" + text.replace("'", "''") + "'"
    return "E'" + _UNSAFE.sub(lambda m: _e_escape(m.group(0)), text.replace("'", "''")) + "'"


# Catalog-printed SQL (pg_get_expr, pg_get_indexdef) split into quoted identifiers, escape
# strings, standard strings and everything between.
_SQL_TOKENS = re.compile(r"""\"(?:[^"]|"")*"|(?<![\w$])[eE]'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*'"""
                         r"""|[^"'eE]+|.""", re.DOTALL)
_E_DECODE = re.compile(r"\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|.)|''",
                       re.DOTALL)
_E_SIMPLE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _e_value(body: str) -> str:
    """The text of an escape string's body (between ``E'`` and ``'``)."""
    def one(m: re.Match) -> str:
        esc = m.group(1)
        if esc is None:
            return "'"
        if esc[0] in "xuU" and len(esc) > 1:
            return chr(int(esc[1:], 16))
        if esc[0] in "01234567":
            return chr(int(esc, 8))
        return _E_SIMPLE.get(esc, esc)
    return _E_DECODE.sub(one, body)


def exact_literals(sql: str) -> str:
    """``sql`` (an expression or predicate as the catalog prints it, read with
    standard_conforming_strings on) with every string literal that a backslash or a
    control character would make setting-dependent or multi-line rewritten by
    ``quote_string``; every other byte stays as it is."""
    if "'" not in sql:
        return sql
    out = []
    for token in _SQL_TOKENS.findall(sql):
        if token[0] in "eE" and token[1:2] == "'":
            value = _e_value(token[2:-1])
            out.append(quote_string(value) if _UNSAFE.search(token) else token)
        elif token[0] == "'" and _UNSAFE.search(token):
            out.append(quote_string(token[1:-1].replace("''", "'")))
        else:
            out.append(token)
    return "".join(out)


def qualified(schema: str | None, name: str) -> str:
    """``"schema"."name"``, or just the name without a schema."""
    return f"{quote_ident(schema)}.{quote_ident(name)}" if schema else quote_ident(name)
