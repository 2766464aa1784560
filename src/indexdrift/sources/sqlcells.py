"""Checks on the cells of a file that are SQL text: what a handed-over file can smuggle in.

Index expressions, partial-index predicates, column defaults and generation expressions
are SQL by design, and indexdrift writes them into migration scripts as they are. A file
could carry ``true); DROP TABLE c1; --`` in such a cell, so every reader checks them when it
reads the file (each check returns why a text is refused, or None):

- ``expression_problem``: one SQL expression. First its structure, by a small scanner that
  is deliberately stricter than any server: every string and quoted name closes (whether
  or not the server reads backslashes as escapes), no ``;``, no comment, no backslash or
  ``$`` outside a string, parentheses balanced and never closing one the text did not
  open, no ``,`` outside parentheses. Then sqlglot parses it (imported only when such a
  cell exists; a plain call of a common function over quoted names, numbers and strings,
  MySQL's ``lower(`sku`)``, needs no parse: sqlglot accepts every text of that shape):
  exactly one expression, no statement, subquery, alias or placeholder. A
  structurally sound text that sqlglot cannot parse (an operator it does not know, such
  as PostgreSQL's ``|/``) is still accepted when it is wholly enclosed: ``( ... )`` or
  ``name( ... )``, whose content cannot reach outside its parentheses.
- ``type_problem``: a column type (``varchar(20)``, ``enum('a','b')``, ``integer[]``): the
  same structure check.
- ``name_problem``: a name written bare into SQL (an operator class, a collation, a
  character set, an access method): plain or double-quoted identifiers, dot-separated.
- ``operator_problem``: an EXCLUDE operator (``=``, ``&&``, ``OPERATOR(schema.===)``).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

MYSQL, POSTGRES, SQLITE = "mysql", "postgres", "sqlite"

# Texts that need no parser: a bare word or call without arguments, a number, a plain
# string literal (most defaults are one of these).
_SIMPLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\(\s*\d*\s*\))?|-?\d+(\.\d+)?([eE][-+]?\d+)?"
                     r"|'[^'\\]*'")
# An ordinary function over quoted column names, numbers and plain strings: MySQL's
# STATISTICS.EXPRESSION writes functional key parts this way (``lower(`sku`)``). sqlglot
# accepts every text of this shape (tests/test_security_readers.py checks the two agree), so
# such a cell needs no parser: importing sqlglot costs ~60 ms of a small compare's start-up.
# Quoted names per dialect, as the structure scanner reads them; no backslash or control
# character anywhere, so no reading of escapes can change where a quoted run ends.
_CALL_FUNCTIONS = ("lower|upper|lcase|ucase|length|char_length|octet_length|md5|sha1|sha2"
                   "|abs|trim|ltrim|rtrim|coalesce|ifnull|concat|substr|substring|reverse"
                   "|date|year|month|day|hex|unhex|json_unquote|json_extract")
_CALL_ARGS = {MYSQL: r"`[^`\\\x00-\x1f]+`", POSTGRES: r'"[^"\\\x00-\x1f]+"',
              SQLITE: r'`[^`\\\x00-\x1f]+`|"[^"\\\x00-\x1f]+"'}


@cache
def _simple_call(dialect: str) -> re.Pattern[str] | None:
    """The pattern of ``_CALL_FUNCTIONS`` calls for ``dialect`` (compiled when first needed:
    start-up compiles no pattern a run does not use). ASCII only: ``\\s``, ``\\d`` and
    case folding would take Unicode spaces, digits and letters (``ſ`` for ``s``)."""
    quoted = _CALL_ARGS.get(dialect)
    if quoted is None:
        return None
    arg = rf"(?:{quoted}|[0-9]+|'[^'\\\x00-\x1f]*')"
    return re.compile(rf"(?i:{_CALL_FUNCTIONS})\([ \t\r\n]*{arg}"
                      rf"(?:[ \t\r\n]*,[ \t\r\n]*{arg})*[ \t\r\n]*\)", re.ASCII)


_WORD_CHAR = re.compile(r"[\w$]")
_IDENT = r'(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")'
_NAME = re.compile(rf"{_IDENT}(?:\.{_IDENT})*")
_OPERATOR_CHARS = re.compile(r"[-+*/<>=~!@#%^&|`?]{1,63}")
_OPERATOR_CALL = re.compile(rf"OPERATOR\({_IDENT}\.[-+*/<>=~!@#%^&|`?]{{1,63}}\)")
_SELECT = re.compile(r"\bselect\b", re.IGNORECASE)


def string_end(text: str, start: int, quote: str, escapes: bool) -> int:
    """Index of the quote closing the quoted run opening at ``start``; -1 when none."""
    i, n = start + 1, len(text)
    while i < n:
        c = text[i]
        if escapes and c == "\\":
            i += 2
            continue
        if c == quote:
            if i + 1 < n and text[i + 1] == quote:
                i += 2
                continue
            return i
        i += 1
    return -1


def _escapes(text: str, i: int, quote: str, dialect: str, backslash: bool) -> bool:
    """Whether a backslash escapes the next character inside the quoted run at ``i``."""
    if quote == "`":
        return False
    if dialect == POSTGRES:
        if quote == '"':
            return False
        # E'...' always takes backslash escapes; plain strings only without
        # standard_conforming_strings (both readings are checked).
        return backslash or (i > 0 and text[i - 1] in "eE"
                             and (i < 2 or not _WORD_CHAR.match(text[i - 2])))
    return backslash


def _structure(text: str, dialect: str, backslash: bool) -> tuple[str | None, list[str]]:
    """Why ``text`` is not structurally one self-contained SQL fragment (or None), and the
    text outside strings and quoted names (for the fallback's SELECT check)."""
    outside: list[str] = []
    depth, i, n = 0, 0, len(text)
    quotes = "'\"" if dialect == POSTGRES else "'\"`"
    while i < n:
        ch = text[i]
        if ch in quotes:
            end = string_end(text, i, ch, _escapes(text, i, ch, dialect, backslash))
            if end < 0:
                kind = "quoted name" if ch == "`" or (ch == '"' and dialect == POSTGRES) \
                    else "string"
                return f"a {kind} opened at character {i + 1} is never closed", outside
            outside.append(" ")
            i = end + 1
            continue
        if ch == ";":
            return "holds a ';' outside a string (a second statement)", outside
        if ch == "\\":
            return "holds a backslash outside a string", outside
        if text.startswith("--", i) or text.startswith("/*", i) or (
                ch == "#" and dialect == MYSQL):
            return "holds a comment", outside
        if ch == "$" and (i == 0 or not _WORD_CHAR.match(text[i - 1])):
            return "holds a '$' outside a string (dollar quoting or a parameter)", outside
        if ch == "`" and dialect == POSTGRES:
            return "holds a '`' outside a string", outside
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return "closes a parenthesis it did not open", outside
        elif ch == "," and depth == 0:
            return "holds a ',' outside parentheses (more than one expression)", outside
        outside.append(ch)
        i += 1
    if depth:
        return "leaves a parenthesis open", outside
    return None, outside


def _structure_problem(text: str, dialect: str) -> tuple[str | None, str]:
    """The structure check in every reading of backslashes the server may have."""
    problem, outside = _structure(text, dialect, backslash=True)
    if problem is None and "\\" in text:
        problem, outside = _structure(text, dialect, backslash=False)
    return problem, "".join(outside)


def _enclosed(outside: str) -> bool:
    """True when the text outside strings is ``( ... )`` or ``name( ... )`` as a whole: its
    first top-level parenthesis closes only at the very end."""
    text = outside.strip()
    head = re.match(r"[A-Za-z_][\w$.]*\s*\(|\(", text)
    if head is None or not text.endswith(")"):
        return False
    depth = 0
    for position in range(head.end() - 1, len(text)):
        depth += {"(": 1, ")": -1}.get(text[position], 0)
        if depth == 0:
            return position == len(text) - 1
    return False


@lru_cache(maxsize=4096)
# Cached: a snapshot file's texts are checked as the file is read and again by
# sources/checks.py after it (every reader's snapshot), and the same default or check repeats
# over many tables; a parse is the slow part.
@lru_cache(maxsize=1 << 16)
def expression_problem(text: str, dialect: str) -> str | None:
    """Why ``text`` is not one SQL expression of ``dialect`` (``mysql``, ``postgres`` or
    ``sqlite``), or None when it is."""
    if not text.strip():
        return "is empty"
    problem, outside = _structure_problem(text, dialect)
    if problem is not None:
        return problem
    stripped = text.strip()
    if _SIMPLE.fullmatch(stripped):
        return None
    call = _simple_call(dialect)
    if call is not None and call.fullmatch(stripped):
        return None
    return _parse_problem(text, dialect, outside)


def _parse_problem(text: str, dialect: str, outside: str) -> str | None:
    # lazy: sqlglot only when a cell needs more than the strict scanner (start-up time)
    import logging

    import sqlglot
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import ParseError, TokenError

    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    refused = (exp.Query, exp.DDL, exp.DML, exp.Command, exp.Placeholder, exp.Parameter,
               exp.Alias, exp.Set, exp.Use, exp.Transaction, exp.Commit, exp.Rollback)
    try:
        found = Dialect.get_or_raise(dialect)
        tokens = found.tokenize(text)
        trees = sqlglot.parse(text, read=dialect)
    except RecursionError:  # sqlglot recurses once per nesting level
        return "is nested too deeply to check (parentheses a few hundred levels deep)"
    except (ParseError, TokenError) as exc:
        if _enclosed(outside) and not _SELECT.search(outside):
            return None
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return f"is not one SQL expression (sqlglot: {reason[:100]})"
    if len(trees) != 1 or trees[0] is None:
        return "is not one SQL expression"
    first = tokens[0].token_type if tokens else None
    statement_words = set(found.parser_class.STATEMENT_PARSERS) | set(
        found.tokenizer_class.COMMANDS)
    if first in statement_words or any(isinstance(node, refused) for node in trees[0].walk()):
        return "is a statement, or holds a subquery, an alias or a placeholder, not an expression"
    return None


@lru_cache(maxsize=4096)
def type_problem(text: str, dialect: str) -> str | None:
    """Why ``text`` cannot be a column type written into DDL as it is (or None)."""
    if not text.strip():
        return "is empty"
    return _structure_problem(text, dialect)[0]


def name_problem(text: str) -> str | None:
    """Why ``text`` is not a (possibly schema-qualified, possibly double-quoted) name."""
    if _NAME.fullmatch(text):
        return None
    return "is not a name (letters, digits, _ or a double-quoted name, dot-separated)"


def operator_problem(text: str) -> str | None:
    """Why ``text`` is not an operator (``&&``, ``OPERATOR(schema.===)``), or None."""
    if _OPERATOR_CHARS.fullmatch(text) or _OPERATOR_CALL.fullmatch(text):
        if "--" in text or "/*" in text:
            return "holds a comment"
        return None
    return "is not an operator (e.g. =, &&, OPERATOR(schema.===))"
