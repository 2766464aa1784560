"""Reading statements with sqlglot: splitting a script, parsing, refusing what is unclear.

A statement counts as parsed only when sqlglot builds a real syntax tree for it: no opaque
``Command`` fallback, no parse error, and no name, string or number of the input lost
between the input and the tree (checked by regenerating SQL from the tree and comparing
the tokens). Everything else is reported as not parsed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.dialects.mysql import MySQL
from sqlglot.dialects.postgres import Postgres
from sqlglot.errors import ParseError, TokenError
from sqlglot.parsers.mysql import MySQLParser
from sqlglot.tokens import TokenType

MYSQL = "mysql"
POSTGRES = "postgres"
DIALECTS = (MYSQL, POSTGRES)


class _MariaDBAwareParser(MySQLParser):
    """MySQL's parser plus MariaDB's ``ALTER INDEX x [NOT] IGNORED`` (MariaDB 10.6).

    sqlglot knows MySQL's ``VISIBLE``/``INVISIBLE`` only; MariaDB's spelling maps onto the
    same tree node (an ignored index is what MySQL calls invisible), marked so the
    explanation can name it as written.
    """

    def _parse_alter_table_alter_index(self) -> exp.AlterIndex:
        start = self._index
        index = self._parse_field(any_token=True)
        if self._match_text_seq("NOT", "IGNORED"):
            node = self.expression(exp.AlterIndex(this=index, visible=True))
        elif self._match_text_seq("IGNORED"):
            node = self.expression(exp.AlterIndex(this=index, visible=False))
        else:
            self._retreat(start)
            return super()._parse_alter_table_alter_index()
        node.meta["ignored_syntax"] = True
        return node


class MySQLFamily(MySQL):
    """sqlglot's MySQL dialect with the MariaDB index-visibility syntax."""

    class Parser(_MariaDBAwareParser):
        """MySQL's parser that also reads ``ALTER INDEX … [NOT] IGNORED``."""

    class Generator(MySQL.Generator):
        """MySQL's SQL writer that writes IGNORED back the way MariaDB spells it."""

        def alterindex_sql(self, expression: exp.AlterIndex) -> str:
            """``ALTER INDEX`` as read: MariaDB's IGNORED form, else MySQL's VISIBLE."""
            if expression.meta.get("ignored_syntax"):
                state = "NOT IGNORED" if expression.args.get("visible") else "IGNORED"
                return f"ALTER INDEX {self.sql(expression, 'this')} {state}"
            return super().alterindex_sql(expression)


_READERS = {MYSQL: MySQLFamily, POSTGRES: Postgres}


@dataclass(slots=True)
class RawStatement:
    """One statement's text (without the ``;``) and the line it starts on (from 1)."""

    sql: str
    line: int


def split_statements(text: str, dialect: str) -> list[RawStatement]:
    """Split a script on ``;`` with the dialect's tokenizer (quotes and comments respected).

    Comment-only text between statements is skipped. An unterminated string or comment
    makes the rest of the script one statement, which then fails to parse (and says so).
    """
    reader = _READERS[dialect]()
    try:
        tokens = reader.tokenize(text)
    except TokenError:
        stripped = text.strip()
        return [RawStatement(stripped, _line_of(text, text.find(stripped[:1])))] if stripped \
            else []
    out: list[RawStatement] = []
    start: int | None = None
    end = 0
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if start is not None:
                out.append(RawStatement(text[start:end + 1], _line_of(text, start)))
            start = None
            continue
        if start is None:
            start = token.start
        end = token.end
    if start is not None:
        out.append(RawStatement(text[start:end + 1], _line_of(text, start)))
    return out


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, max(offset, 0)) + 1


def has_concurrently(sql: str) -> bool:
    """True when a statement uses CONCURRENTLY, a PostgreSQL-only keyword."""
    try:
        tokens = _READERS[POSTGRES]().tokenize(sql)
    except TokenError:
        return False
    return any(t.text.upper() == "CONCURRENTLY" for t in tokens
               if t.token_type not in (TokenType.STRING, TokenType.IDENTIFIER))


class NotParsed(Exception):
    """The parser did not understand the statement; the message says why."""


# Token types whose text must survive parsing: losing one means the tree is incomplete.
_CONTENT = (TokenType.STRING, TokenType.NUMBER, TokenType.IDENTIFIER, TokenType.VAR,
            TokenType.NATIONAL_STRING, TokenType.HEX_STRING, TokenType.BIT_STRING)


def _content(sql: str, dialect: str) -> Counter:
    reader = _READERS[dialect]()
    return Counter((t.text.lower() if t.token_type != TokenType.STRING else t.text)
                   for t in reader.tokenize(sql) if t.token_type in _CONTENT)


def parse_statement(sql: str, dialect: str) -> exp.Expression:
    """The syntax tree of one statement, or NotParsed with the reason."""
    reader = _READERS[dialect]
    try:
        trees = sqlglot.parse(sql, read=reader, error_level=sqlglot.ErrorLevel.IMMEDIATE)
    except (ParseError, TokenError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise NotParsed(first) from None
    trees = [t for t in trees if t is not None]
    if len(trees) != 1:
        raise NotParsed("not exactly one statement")
    tree = trees[0]
    if isinstance(tree, exp.Command) or tree.find(exp.Command) is not None:
        raise NotParsed("syntax the parser does not support (kept as opaque text)")
    try:
        regenerated = tree.sql(dialect=reader)
        lost = _content(sql, dialect) - _content(regenerated, dialect)
    except Exception as exc:  # noqa: BLE001 - a generator gap means we cannot vouch for it
        raise NotParsed(f"cannot be reproduced from its syntax tree ({exc})") from None
    if lost:
        raise NotParsed("the parser would lose " + ", ".join(sorted(lost)))
    return tree
