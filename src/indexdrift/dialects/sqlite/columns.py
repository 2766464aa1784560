"""Column definitions of a SQLite database: ``pragma_table_xinfo`` and the CREATE TABLE text.

Read on the connection of the index read, only for ``--objects columns`` (and what needs
columns). The pragma gives each column's name, declared type, NOT NULL, default text,
primary-key position and whether it is generated (``hidden`` 2 VIRTUAL, 3 STORED); what
it does not give comes from the column's definition in the ``CREATE TABLE`` text
(``create_table.TableText.definitions``): its ``COLLATE``, its generation expression and
``AUTOINCREMENT``. Field by field (docs/sqlite.md, "Columns"):

- type: the declared type, lower case, tokens joined by single spaces and none around
  ``(``, ``)`` and ``,`` (``VARCHAR (20)`` is ``varchar(20)``; SQLite itself prints its
  standard type names in upper case); no type is ``""``;
- nullable: no ``NOT NULL`` (a WITHOUT ROWID table's key columns are NOT NULL);
- default: canonical text as CHECK expressions are (``create_table.normalize_check``:
  keywords lower case, ``1+2`` is ``1 + 2``); a bare word is the string SQLite takes it
  for (``DEFAULT abc`` is ``'abc'``), ``true``/``false`` stay; ``DEFAULT NULL`` and no
  default on a nullable column are ``NULL``, as every reader has it;
- collation: the column's ``COLLATE``, upper case (``BINARY``, the default, is none);
- auto_increment: the column is the table's ``INTEGER PRIMARY KEY``, the rowid's alias
  (one key column declared exactly ``INTEGER``, in a rowid table, with no key index of its
  own: ``INTEGER PRIMARY KEY DESC`` is not one); ``identity`` ``AUTOINCREMENT`` when it is
  declared so (rowids are then never reused);
- generated: ``VIRTUAL`` / ``STORED`` with the expression in canonical text.

Virtual tables and their shadow tables (SQLite 3.37+ tells them) have no columns read:
their module declares and makes them.
"""

from __future__ import annotations

import re

from indexdrift.dialects.sqlite.create_table import (
    TableText,
    Token,
    fold,
    normalize_check,
    tokenize,
    unquote,
)
from indexdrift.model.tables import Column, Table

QUERY = """
SELECT m.name, x.cid, x.name, x.type, x."notnull", x.dflt_value, x.pk, x.hidden
FROM sqlite_master m
JOIN pragma_table_xinfo(m.name) x
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
  AND m.sql NOT LIKE 'CREATE VIRTUAL%'{shadow}
ORDER BY m.name, x.cid
"""
# SQLite 3.37+ names a virtual table's shadow tables (fts5's t_data, t_idx…): their module
# makes and drops them, so their columns are not read either (a migration never creates
# one on its own).
_SHADOW = """
  AND m.name NOT IN (SELECT name FROM pragma_table_list WHERE schema = 'main'
                     AND type = 'shadow')"""
TABLE_LIST_VERSION = (3, 37, 0)


def column_query(version: tuple[int, ...]) -> str:
    """The column query for a SQLite library of ``version`` (sqlite3.sqlite_version_info)."""
    return QUERY.format(shadow=_SHADOW if tuple(version) >= TABLE_LIST_VERSION else "")

_GENERATED = {2: "VIRTUAL", 3: "STORED"}
# Canonical defaults SQLite takes as they are after DEFAULT; anything else needs (…).
_LITERAL = re.compile(r"[-+]?(?:0x[0-9a-f]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:e[-+]?[0-9]+)?)"
                      r"|'(?:[^']|'')*'|x'[0-9a-f]*'|null|true|false"
                      r"|current_time|current_date|current_timestamp", re.S)


def type_text(declared: str) -> str:
    """A declared type in canonical text: lower case, one space between words, none
    around parentheses and commas."""
    out: list[str] = []
    previous = ""
    for token in tokenize(declared):
        text = token.text.lower() if token.kind == "word" else token.text
        tight = not out or text in ("(", ")", ",") or previous in ("(", ",")
        out.append(text if tight else " " + text)
        previous = text
    return "".join(out)


def default_text(raw: str | None, nullable: bool) -> str | None:
    """The canonical default of a ``dflt_value`` (``NULL`` for none on a nullable column)."""
    if raw is None:
        return "NULL" if nullable else None
    tokens = tokenize(raw)
    if len(tokens) == 1 and tokens[0].kind in ("word", "quoted") \
            and tokens[0].upper not in ("TRUE", "FALSE", "NULL", "CURRENT_TIME",
                                        "CURRENT_DATE", "CURRENT_TIMESTAMP"):
        # DEFAULT abc: SQLite's parser makes the bare word a string (parse.y, ccons)
        name = unquote(tokens[0])
        return "'" + name.replace("'", "''") + "'"
    text = normalize_check(tokens, (), rowid=False)
    return "NULL" if text == "null" else text


def default_sql(text: str) -> str:
    """What follows ``DEFAULT`` for a canonical default: the literal, or ``(expr)``."""
    return text if _LITERAL.fullmatch(text) or text == "NULL" else f"({text})"


def _group_end(tokens: list[Token], start: int) -> int:
    depth = 0
    for position in range(start, len(tokens)):
        if tokens[position].kind == "op" and tokens[position].text in "()":
            depth += 1 if tokens[position].text == "(" else -1
            if depth == 0:
                return position
    return len(tokens) - 1


def definition_facts(tokens: list[Token], columns: list[str], *, rowid: bool
                     ) -> tuple[str | None, str | None, bool]:
    """(collation, generation expression, AUTOINCREMENT) of one column definition's
    tokens, read outside parentheses (a COLLATE inside a CHECK is the expression's)."""
    collation, expression, autoincrement = None, None, False
    position = 1
    while position < len(tokens):
        token = tokens[position]
        if token.kind == "op" and token.text == "(":
            position = _group_end(tokens, position) + 1
            continue
        word = token.upper if token.kind == "word" else ""
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        if word == "COLLATE" and following is not None:
            collation = unquote(following).upper()
            position += 2
            continue
        if word == "AS" and following is not None and following.text == "(":
            end = _group_end(tokens, position + 1)
            expression = normalize_check(tokens[position + 2:end], columns, rowid=rowid)
            position = end + 1
            continue
        autoincrement = autoincrement or word == "AUTOINCREMENT"
        position += 1
    return (None if collation == "BINARY" else collation), expression, autoincrement


def columns_of(rows: list[tuple], texts: dict[str, TableText],
               tables: dict[str, Table]) -> dict[str, dict[str, Column]]:
    """{table: {name_key: Column}} in column order from the QUERY rows, the parsed
    CREATE TABLE texts and the tables read (whose key indexes tell a rowid alias)."""
    grouped: dict[str, list[tuple]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    found: dict[str, dict[str, Column]] = {}
    for name, table_rows in grouped.items():
        text = texts.get(name) or TableText()
        definitions = {fold(c): d for c, d in zip(text.columns, text.definitions, strict=True)}
        rowid = not text.without_rowid
        table = tables.get(name)
        keys = [r for r in table_rows if r[6]]
        alias = (rowid and len(keys) == 1 and keys[0][3].upper() == "INTEGER"
                 and table is not None and not any(ix.primary for ix in table.indexes.values()))
        columns: dict[str, Column] = {}
        for _, cid, column, declared, notnull, default, pk, hidden in table_rows:
            collation, expression, autoincrement = definition_facts(
                definitions.get(fold(column), []), text.columns, rowid=rowid)
            generated = _GENERATED.get(hidden)
            nullable = not notnull
            col = Column(
                name=column, position=cid + 1, column_type=type_text(declared),
                nullable=nullable,
                default=None if generated else default_text(default, nullable),
                collation=collation, auto_increment=bool(alias and pk),
                identity="AUTOINCREMENT" if alias and pk and autoincrement else None,
                generated=generated, expression=expression if generated else None,
                dialect="sqlite")
            columns[col.name_key] = col
        found[name] = columns
    return found
