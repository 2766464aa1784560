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
from sqlglot.parsers.postgres import PostgresParser
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


class ConstraintUsingIndex(exp.Expression):
    """PostgreSQL ``ADD CONSTRAINT n {UNIQUE | PRIMARY KEY} USING INDEX i``: an existing
    unique index becomes the constraint's index (``kind``: ``UNIQUE`` or ``PRIMARY KEY``)."""

    arg_types = {"this": True, "kind": True, "options": False}


class AlterIdentity(exp.Expression):
    """PostgreSQL ``ALTER COLUMN c {ADD GENERATED … AS IDENTITY | SET … | DROP IDENTITY}``.

    ``action`` is ``ADD``, ``SET`` or ``DROP``; ``generated`` ``ALWAYS`` or ``BY DEFAULT``;
    ``expressions`` the sequence options (IdentityOption) in the order written.
    """

    arg_types = {"this": True, "action": True, "generated": False, "expressions": False,
                 "exists": False}


class IdentityOption(exp.Expression):
    """One identity sequence option: ``this`` the words (``INCREMENT BY``, ``NO CYCLE``,
    ``RESTART`` …), ``expression`` its value when it has one."""

    arg_types = {"this": True, "expression": False}


class SessionSetting(exp.Expression):
    """PostgreSQL ``SET name {TO | =} value [, …]`` (e.g. ``search_path``)."""

    arg_types = {"this": True, "expressions": True}


# Identity sequence options after SET (ALTER COLUMN … SET INCREMENT BY 2 …) or inside
# ADD GENERATED … AS IDENTITY ( … ): the words, and whether a value follows.
_SEQUENCE_OPTIONS = (
    (("INCREMENT", "BY"), True), (("INCREMENT",), True), (("START", "WITH"), True),
    (("START",), True), (("MINVALUE",), True), (("MAXVALUE",), True), (("NO", "MINVALUE"), False),
    (("NO", "MAXVALUE"), False), (("CACHE",), True), (("NO", "CYCLE"), False),
    (("CYCLE",), False))


class _PostgresGeneratedParser(PostgresParser):
    """PostgreSQL's parser plus the statements indexdrift's own PostgreSQL migrations use
    and sqlglot does not read: ``NULLS [NOT] DISTINCT`` on CREATE INDEX, ``ADD CONSTRAINT …
    USING INDEX``, exclusion operators of more than one token (``~=``), ``COMMENT … IS
    NULL``, identity column changes, and ``SET search_path TO …``. Each is read into a
    tree node (never matched as text), and anything else falls back to sqlglot.
    """

    def _parse_index_params(self) -> exp.IndexParameters:
        # PostgreSQL's order: USING, (columns), INCLUDE, NULLS [NOT] DISTINCT, WITH (…),
        # TABLESPACE, WHERE. sqlglot's own reader has no NULLS step, so it is read here and
        # the rest is left to it: the clauses before NULLS are read, then NULLS, then the
        # clauses after (each call reads only what is there).
        params = super()._parse_index_params()
        nulls = None
        if self._match_text_seq("NULLS", "NOT", "DISTINCT"):
            nulls = "NOT DISTINCT"
        elif self._match_text_seq("NULLS", "DISTINCT"):
            nulls = "DISTINCT"
        if nulls is None:
            return params
        rest = super()._parse_index_params()
        for key, value in rest.args.items():
            if value and not params.args.get(key):
                params.set(key, value)
            elif value:
                self.raise_error(f"{key} given twice around NULLS {nulls}")
        params.meta["nulls"] = nulls
        return params

    def _parse_with_operator(self) -> exp.Expr | None:
        # An exclusion operator is any operator, also of several tokens (``~=``, ``-|-``):
        # the adjacent tokens up to the next comma or parenthesis make it up.
        this = self._parse_indexed_column()
        if not self._match(TokenType.WITH):
            return this
        parts = []
        while self._curr and self._curr.token_type not in (TokenType.COMMA,
                                                           TokenType.R_PAREN):
            if parts and self._curr.start != self._prev.end + 1:
                self.raise_error("an exclusion operator is one word")
            parts.append(self._curr.text)
            self._advance()
        if not parts:
            self.raise_error("an exclusion operator is missing")
        return self.expression(exp.WithOperator(this=this, op=exp.var("".join(parts))))

    def _parse_using_index(self, kind: str) -> ConstraintUsingIndex | None:
        if self._match_text_seq("USING", "INDEX", "TABLESPACE", advance=False):
            return None
        if not self._match_text_seq("USING", "INDEX"):
            return None
        index = self._parse_id_var()
        if index is None:
            self.raise_error("an index name is missing after USING INDEX")
        return self.expression(ConstraintUsingIndex(
            this=index, kind=kind, options=self._parse_key_constraint_options() or None))

    def _parse_unique(self) -> exp.Expr:
        return self._parse_using_index("UNIQUE") or super()._parse_unique()

    def _parse_primary_key(self, wrapped_optional: bool = False, in_props: bool = False,
                           named_primary_key: bool = False) -> exp.Expr:
        return self._parse_using_index("PRIMARY KEY") or super()._parse_primary_key(
            wrapped_optional, in_props, named_primary_key)

    def _parse_string(self) -> exp.Expr | None:
        # COMMENT ON … IS NULL removes a comment; sqlglot reads only a string there.
        if self._prev and self._prev.token_type == TokenType.IS and self._match(TokenType.NULL):
            return exp.Null()
        # … IS E'…': the escape string indexdrift writes for text with backslashes or
        # line breaks (sqlglot reads only a standard string there).
        if self._match(TokenType.BYTE_STRING):
            return self.PRIMARY_PARSERS[TokenType.BYTE_STRING](self, self._prev)
        return super()._parse_string()

    def _parse_sequence_option(self) -> IdentityOption | None:
        for words, valued in _SEQUENCE_OPTIONS:
            if self._match_text_seq(*words):
                value = self._parse_bitwise() if valued else None
                if valued and value is None:
                    self.raise_error(f"a value is missing after {' '.join(words)}")
                return self.expression(IdentityOption(this=" ".join(words), expression=value))
        return None

    def _parse_generated_kind(self) -> str | None:
        if self._match_text_seq("ALWAYS"):
            return "ALWAYS"
        if self._match_text_seq("BY", "DEFAULT"):
            return "BY DEFAULT"
        return None

    def _parse_alter_table_alter(self) -> exp.Expr | None:
        start = self._index
        self._match(TokenType.COLUMN)
        column = self._parse_field(any_token=True)
        node = self._parse_identity_change(column) if column is not None else None
        if node is None:
            self._retreat(start)
            return super()._parse_alter_table_alter()
        return node

    def _parse_identity_change(self, column: exp.Expr) -> AlterIdentity | None:
        if self._match_text_seq("DROP", "IDENTITY"):
            exists = self._match_text_seq("IF", "EXISTS")
            return self.expression(AlterIdentity(this=column, action="DROP",
                                                 exists=exists or None))
        if self._match_text_seq("ADD", "GENERATED"):
            generated = self._parse_generated_kind()
            if generated is None or not self._match_text_seq("AS", "IDENTITY"):
                self.raise_error("expected ALWAYS or BY DEFAULT, then AS IDENTITY")
            options = []
            if self._match(TokenType.L_PAREN):
                while not self._match(TokenType.R_PAREN):
                    option = self._parse_sequence_option()
                    if option is None:
                        self.raise_error("an identity sequence option the explainer "
                                         "does not know")
                    options.append(option)
            return self.expression(AlterIdentity(this=column, action="ADD",
                                                 generated=generated,
                                                 expressions=options or None))
        options: list[exp.Expr] = []
        generated = None
        while True:
            if self._match_text_seq("SET", "GENERATED"):
                generated = self._parse_generated_kind()
                if generated is None:
                    self.raise_error("expected ALWAYS or BY DEFAULT")
                options.append(self.expression(IdentityOption(this=f"GENERATED {generated}")))
            elif self._match_text_seq("RESTART"):
                self._match_text_seq("WITH")
                value = self._parse_bitwise() if self._curr and self._curr.token_type \
                    not in (TokenType.COMMA, TokenType.SEMICOLON) else None
                options.append(self.expression(IdentityOption(this="RESTART",
                                                              expression=value)))
            elif self._curr and self._curr.token_type == TokenType.SET and self._next and \
                    self._next.text.upper() in {w[0] for w, _ in _SEQUENCE_OPTIONS}:
                self._advance()
                option = self._parse_sequence_option()
                if option is None:
                    self.raise_error("an identity sequence option the explainer does not know")
                options.append(option)
            else:
                break
        if not options:
            return None
        return self.expression(AlterIdentity(this=column, action="SET", generated=generated,
                                             expressions=options))

    def _parse_set(self, unset: bool = False, tag: bool = False) -> exp.Expr:
        # SET name TO a, b: sqlglot reads the comma as the start of another setting.
        start = self._index
        if not unset and not tag:
            name = self._parse_id_var()
            if name is not None and (self._match(TokenType.EQ) or self._match_text_seq("TO")):
                values = self._parse_csv(lambda: self._parse_primary() or self._parse_id_var())
                if values and all(values) and not self._curr:
                    return self.expression(SessionSetting(this=name, expressions=values))
        self._retreat(start)
        return super()._parse_set(unset, tag)


def _identity_sql(gen: Postgres.Generator, node: AlterIdentity) -> str:
    column = gen.sql(node, "this")
    action = node.args["action"]
    if action == "DROP":
        return f"ALTER COLUMN {column} DROP IDENTITY" + (
            " IF EXISTS" if node.args.get("exists") else "")
    options = node.expressions
    if action == "ADD":
        text = f"ALTER COLUMN {column} ADD GENERATED {node.args['generated']} AS IDENTITY"
        if options:
            text += " (" + " ".join(gen.sql(o) for o in options) + ")"
        return text
    return f"ALTER COLUMN {column} " + " ".join(
        ("" if o.this.startswith("RESTART") else "SET ") + gen.sql(o) for o in options)


def _option_sql(gen: Postgres.Generator, node: IdentityOption) -> str:
    value = gen.sql(node, "expression")
    return f"{node.this} {value}" if value else node.this


class PostgresFamily(Postgres):
    """sqlglot's PostgreSQL dialect with the statements indexdrift's migrations use."""

    class Parser(_PostgresGeneratedParser):
        """PostgreSQL's parser that also reads indexdrift's own migration statements."""

    class Generator(Postgres.Generator):
        """PostgreSQL's SQL writer for the nodes the extended parser adds."""

        TRANSFORMS = {
            **Postgres.Generator.TRANSFORMS,
            ConstraintUsingIndex: lambda gen, e: (
                f"{e.args['kind']} USING INDEX {gen.sql(e, 'this')}"
                + "".join(f" {o}" for o in e.args.get("options") or [])),
            AlterIdentity: _identity_sql,
            IdentityOption: _option_sql,
            SessionSetting: lambda gen, e: (f"SET {gen.sql(e, 'this')} TO "
                                            + ", ".join(gen.sql(v) for v in e.expressions)),
        }

        def indexparameters_sql(self, expression: exp.IndexParameters) -> str:
            """Index parameters with NULLS [NOT] DISTINCT in PostgreSQL's place."""
            text = super().indexparameters_sql(expression)
            nulls = expression.meta.get("nulls")
            if not nulls:
                return text
            include = self.expressions(expression, key="include", flat=True)
            head = self.sql(expression, "using")
            head = f" USING {head}" if head else ""
            columns = self.expressions(expression, key="columns", flat=True)
            head += f"({columns})" if columns else ""
            head += f" INCLUDE ({include})" if include else ""
            return f"{head} NULLS {nulls}{text[len(head):]}"


_READERS = {MYSQL: MySQLFamily, POSTGRES: PostgresFamily}


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
            TokenType.NATIONAL_STRING, TokenType.HEX_STRING, TokenType.BIT_STRING,
            TokenType.BYTE_STRING)


def _content(sql: str, dialect: str) -> Counter:
    reader = _READERS[dialect]()
    return Counter((t.text.lower() if t.token_type != TokenType.STRING else t.text)
                   for t in reader.tokenize(sql) if t.token_type in _CONTENT)


def parse_statement(sql: str, dialect: str) -> exp.Expression:
    """The syntax tree of one statement, or NotParsed with the reason."""
    reader = _READERS[dialect]
    try:
        trees = sqlglot.parse(sql, read=reader, error_level=sqlglot.ErrorLevel.IMMEDIATE)
    except RecursionError:  # sqlglot recurses once per nesting level: too deep to vouch for
        raise NotParsed("nested too deeply to parse") from None
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
