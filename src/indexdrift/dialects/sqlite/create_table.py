"""What only the ``CREATE TABLE`` text of ``sqlite_schema.sql`` tells: constraint names,
CHECK expressions, DEFERRABLE, and the WITHOUT ROWID / STRICT tail.

SQLite's pragmas know a table's foreign keys but not their names nor whether they are
deferred, and know nothing of CHECK constraints; this module reads them from the text the
table was created with. The text is SQLite's own (it parsed it when the file was opened),
so a tokenizer true to SQLite's and a walk over the column list suffice; the grammar
rules that matter are followed as SQLite's parser applies them (``parse.y``):

- A ``CONSTRAINT name`` names every constraint after it until a new column definition
  starts, or a comma separates two table constraints. So ``a INT CONSTRAINT n NOT NULL
  CHECK (a > 0)`` names the check ``n`` (SQLite's "CHECK constraint failed: n" says so),
  and the comma between the last column and the first table constraint does not end it.
- A ``[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]`` clause applies to the table's most
  recent foreign key; only ``DEFERRABLE INITIALLY DEFERRED`` defers it.

``normalize_check`` turns a CHECK expression into one canonical text (see its docstring).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# SQLite's tokens (tokenize.c): whitespace is only these five characters, every byte from
# 0x80 up is an identifier character, and "..", `..`, [..] are quoted identifiers.
_TOKEN = re.compile(r"""
    (?P<space>[ \t\n\f\r]+)
  | (?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^']|'')*')
  | (?P<blob>[xX]'[^']*')
  | (?P<quoted>"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\])
  | (?P<number>0[xX][0-9A-Fa-f]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)
  | (?P<variable>\?[0-9]*|[:@$][A-Za-z0-9_$\x80-\U0010FFFF]+)
  | (?P<word>[A-Za-z_\x80-\U0010FFFF][A-Za-z0-9_$\x80-\U0010FFFF]*)
  | (?P<op>\|\||->>|->|<<|>>|<=|>=|==|!=|<>|[-+*/%<>=&|~(),.;])
  | (?P<other>.)
""", re.S | re.X)

_BARE = re.compile(r"[A-Za-z_\x80-\U0010FFFF][A-Za-z0-9_$\x80-\U0010FFFF]*")

# SQLite's keywords that can never be a bare identifier (every keyword but the ones its
# parser falls back to ID for, and the JOIN keywords a name may be): a quoted identifier
# spelled like one of these keeps its quotes, any other loses them.
_RESERVED = frozenset("""
    ADD ALL ALTER AND AS AUTOINCREMENT BETWEEN CASE CHECK COLLATE COMMIT CONSTRAINT CREATE
    DEFAULT DEFERRABLE DELETE DISTINCT DROP ELSE ESCAPE EXCEPT EXISTS FILTER FOREIGN FROM
    GROUP HAVING IN INDEX INDEXED INSERT INTERSECT INTO IS ISNULL JOIN LIMIT NOT NOTHING
    NOTNULL NULL ON OR ORDER OVER PRIMARY REFERENCES RETURNING SELECT SET TABLE TEMPORARY
    THEN TO TRANSACTION UNION UNIQUE UPDATE USING VALUES WHEN WHERE WINDOW
""".split())

_TABLE_CONSTRAINT = frozenset({"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"})


@dataclass(frozen=True, slots=True)
class Token:
    """One SQLite token: its kind (a group name of ``_TOKEN``) and its text."""

    kind: str
    text: str

    @property
    def upper(self) -> str:
        """A bare word in upper case (keywords are matched so); other tokens as they are."""
        return self.text.upper() if self.kind == "word" else self.text


def tokenize(sql: str) -> list[Token]:
    """SQLite's tokens of ``sql``, without whitespace and comments."""
    return [Token(found.lastgroup, found.group())  # type: ignore[arg-type]
            for found in _TOKEN.finditer(sql) if found.lastgroup not in ("space", "comment")]


def unquote(token: Token) -> str:
    """A name as SQLite reads it: ``"a""b"`` -> ``a"b``, ``[x]``, `` `x` ``, ``'x'`` (a
    string is a name where SQLite expects one) and a bare word as written."""
    text = token.text
    if token.kind == "string" or (token.kind == "quoted" and text[0] in "\"`"):
        return text[1:-1].replace(text[0] * 2, text[0])
    if token.kind == "quoted":  # [..] has no escape
        return text[1:-1]
    return text


@dataclass(slots=True)
class ForeignKeyText:
    """A foreign key as written: its CONSTRAINT name (None when unnamed), child columns,
    parent table, and whether SQLite defers it (``DEFERRABLE INITIALLY DEFERRED``)."""

    name: str | None
    columns: tuple[str, ...]
    parent: str
    deferred: bool = False


@dataclass(slots=True)
class TableText:
    """What the CREATE TABLE text says beyond the pragmas, in declaration order."""

    columns: list[str] = field(default_factory=list)
    # Each column definition's tokens (its name first), in the order of ``columns``.
    definitions: list[list[Token]] = field(default_factory=list)
    # (CONSTRAINT name or None, the expression's tokens, the column it is written on)
    checks: list[tuple[str | None, list[Token], str | None]] = field(default_factory=list)
    foreign_keys: list[ForeignKeyText] = field(default_factory=list)
    without_rowid: bool = False
    strict: bool = False


def _group_end(tokens: list[Token], start: int) -> int:
    """Index of the ``)`` closing the ``(`` at ``start`` (the last token when none does)."""
    depth = 0
    for position in range(start, len(tokens)):
        text = tokens[position].text if tokens[position].kind == "op" else ""
        if text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
            if depth == 0:
                return position
    return len(tokens) - 1


def _is_op(tokens: list[Token], position: int, text: str) -> bool:
    return position < len(tokens) and tokens[position].kind == "op" \
        and tokens[position].text == text


def _word(tokens: list[Token], position: int) -> str:
    return tokens[position].upper if position < len(tokens) \
        and tokens[position].kind == "word" else ""


def _split(tokens: list[Token], start: int, end: int) -> list[list[Token]]:
    """The comma-separated items of ``tokens[start:end]`` (commas inside parentheses kept)."""
    items: list[list[Token]] = [[]]
    depth = 0
    for token in tokens[start:end]:
        if token.kind == "op" and token.text in "()":
            depth += 1 if token.text == "(" else -1
        elif token.kind == "op" and token.text == "," and depth == 0:
            items.append([])
            continue
        items[-1].append(token)
    return [item for item in items if item]


def parse_create_table(sql: str) -> TableText:
    """Columns, CHECKs, foreign-key names and deferral, WITHOUT ROWID and STRICT of a
    ``CREATE TABLE`` text (a virtual table or ``CREATE TABLE … AS SELECT`` has none)."""
    found = TableText()
    tokens = tokenize(sql)
    words = [t.upper for t in tokens[:3]]
    if "VIRTUAL" in words:
        return found
    start = next((i for i, t in enumerate(tokens) if t.kind == "op" and t.text == "("), None)
    if start is None or any(t.upper == "AS" for t in tokens[:start]):
        return found
    end = _group_end(tokens, start)
    pending: str | None = None
    previous_was_constraint = False
    for item in _split(tokens, start + 1, end):
        if item[0].upper in _TABLE_CONSTRAINT:
            if previous_was_constraint:
                pending = None  # the comma between two table constraints ends a name
            pending = _constraints(item, 0, found, pending, column=None)
            previous_was_constraint = True
        else:
            column = unquote(item[0])
            found.columns.append(column)
            found.definitions.append(item)
            # a name left at the column's end still names the first table constraint
            pending = _constraints(item, 1, found, None, column=column)
            previous_was_constraint = False
    tail = [t.upper for t in tokens[end + 1:] if t.kind == "word"]
    found.without_rowid = any(a == "WITHOUT" and b == "ROWID"
                              for a, b in zip(tail, tail[1:], strict=False))
    found.strict = "STRICT" in tail
    return found


def _constraints(item: list[Token], position: int, found: TableText, pending: str | None,
                 *, column: str | None) -> str | None:
    """Walk one column definition (its constraints after the name) or one table
    constraint item, recording checks and foreign keys; returns the CONSTRAINT name still
    in force at its end."""
    while position < len(item):
        word = _word(item, position)
        if word == "CONSTRAINT" and position + 1 < len(item):
            pending = unquote(item[position + 1])
            position += 2
        elif word == "CHECK" and _is_op(item, position + 1, "("):
            end = _group_end(item, position + 1)
            found.checks.append((pending, item[position + 2:end], column))
            position = end + 1
        elif word == "FOREIGN" and _word(item, position + 1) == "KEY" \
                and _is_op(item, position + 2, "("):
            end = _group_end(item, position + 2)
            columns = tuple(unquote(part[0]) for part in _split(item, position + 3, end))
            position = _references(item, end + 1, found, pending, columns)
        elif word == "REFERENCES" and column is not None:
            position = _references(item, position, found, pending, (column,))
        elif word == "DEFERRABLE" or (word == "NOT" and _word(item, position + 1)
                                      == "DEFERRABLE"):
            negated = word == "NOT"
            position += 2 if negated else 1
            initially = _word(item, position) == "INITIALLY"
            mode = _word(item, position + 1) if initially else ""
            position += 2 if initially else 0
            if found.foreign_keys:  # SQLite defers the table's most recent foreign key
                found.foreign_keys[-1].deferred = not negated and mode == "DEFERRED"
        elif _is_op(item, position, "("):
            position = _group_end(item, position) + 1
        else:
            position += 1
    return pending


def _references(item: list[Token], position: int, found: TableText, pending: str | None,
                columns: tuple[str, ...]) -> int:
    """Record the foreign key whose ``REFERENCES`` is at ``position``; the position after
    its parent table and column list (its ON / MATCH clauses are read from the pragma)."""
    if _word(item, position) != "REFERENCES" or position + 1 >= len(item):
        return position + 1
    found.foreign_keys.append(ForeignKeyText(pending, columns, unquote(item[position + 1])))
    position += 2
    if _is_op(item, position, "("):
        position = _group_end(item, position) + 1
    return position


# --- CHECK expressions ---------------------------------------------------------------------

# Every SQLite keyword (lang_keywords.html); a bare word not among them is an identifier.
_KEYWORDS = frozenset("""
    ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE
    BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE
    CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE
    DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT EXCLUDE
    EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED
    GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT
    INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED
    NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER
    PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES REGEXP
    REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT
    SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE
    UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT
""".split())
# Keywords that end an operand (``a IS NULL``, ``CASE … END``); the others come before one.
_OPERAND_KEYWORDS = frozenset({"NULL", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
                               "END"})
# Keywords written like a function call: no space before their "(".
_CALL_KEYWORDS = frozenset({"CAST", "GLOB", "LIKE", "MATCH", "REGEXP", "REPLACE", "RAISE"})
# Operators SQLite spells two ways.
_SAME_OPERATOR = {"<>": "!=", "==": "="}
_ROWID = ("rowid", "oid", "_rowid_")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def fold(name: str) -> str:
    """A name in SQLite's case rule: ASCII letters only are case-insensitive."""
    return name.translate(_ASCII_LOWER)


def _strip_parentheses(tokens: list[Token]) -> list[Token]:
    """``((a > 0))`` -> ``a > 0``: parentheses around the whole expression mean nothing."""
    while len(tokens) >= 2 and _is_op(tokens, 0, "(") and _group_end(tokens, 0) \
            == len(tokens) - 1 and _is_op(tokens, len(tokens) - 1, ")"):
        tokens = tokens[1:-1]
    return tokens


def _connectives(tokens: list[Token], start: int, end: int) -> set[str]:
    """The AND / OR words and commas at the top level of ``tokens[start:end]``."""
    found, depth = set(), 0
    for position in range(start, end):
        if _is_op(tokens, position, "("):
            depth += 1
        elif _is_op(tokens, position, ")"):
            depth -= 1
        elif depth == 0 and (_word(tokens, position) in ("AND", "OR")
                             or _is_op(tokens, position, ",")):
            found.add(_word(tokens, position) or ",")
    return found


def _strip_operand_parentheses(tokens: list[Token]) -> list[Token]:
    """``(a > 0) AND (b OR c)`` -> ``a > 0 AND (b OR c)``: parentheses around an operand of
    AND / OR that mean nothing by precedence (AND binds tighter than OR; every operator
    but NOT tighter than both). A group stays when a call, IN, NOT or any other operator
    is next to it, when it is a list (a comma in it), or when an OR in it meets an AND."""
    changed = True
    while changed:
        changed = False
        for start in range(len(tokens)):
            if not _is_op(tokens, start, "("):
                continue
            end = _group_end(tokens, start)
            before = "" if start == 0 else ("(" if _is_op(tokens, start - 1, "(")
                                             else _word(tokens, start - 1) or "?")
            after = "" if end + 1 >= len(tokens) else (")" if _is_op(tokens, end + 1, ")")
                                                       else _word(tokens, end + 1) or "?")
            if before not in ("", "(", "AND", "OR") or after not in ("", ")", "AND", "OR"):
                continue
            inside = _connectives(tokens, start + 1, end)
            if "," in inside or ("OR" in inside and "AND" in (before, after)):
                continue
            tokens = tokens[:start] + tokens[start + 1:end] + tokens[end + 1:]
            changed = True
            break
    return tokens


def _identifier(name: str) -> str:
    """An identifier's canonical spelling: lower case (ASCII), bare unless it must be
    quoted (not an identifier's shape, or a reserved word)."""
    name = fold(name)
    if _BARE.fullmatch(name) and name.upper() not in _RESERVED:
        return name
    return '"' + name.replace('"', '""') + '"'


def _canonical(tokens: list[Token], columns: frozenset[str]) -> list[tuple[str, str]]:
    """Each token's canonical text and class: ``operand`` (ends an operand: a name, a
    literal, NULL…), ``word`` (a keyword before an operand), ``op``, ``call`` (a name or
    keyword written before its "(")."""
    out: list[tuple[str, str]] = []
    for position, token in enumerate(tokens):
        before = tokens[position - 1] if position else None
        after = tokens[position + 1] if position + 1 < len(tokens) else None
        calls = after is not None and after.kind == "op" and after.text == "("
        if token.kind == "string":
            out.append((token.text, "operand"))
        elif token.kind == "blob":
            out.append(("x" + token.text[1:].lower(), "operand"))
        elif token.kind in ("number", "variable"):
            out.append((fold(token.text), "operand"))
        elif token.kind == "quoted":
            name = unquote(token)
            dotted = (before is not None and before.text == ".") or (
                after is not None and after.text == ".")
            named = before is not None and before.upper in ("COLLATE", "AS")
            # SQLite reads a "double-quoted" word that names no column as a string literal.
            if token.text[0] == '"' and not (calls or dotted or named) \
                    and fold(name) not in columns:
                out.append(("'" + name.replace("'", "''") + "'", "operand"))
            else:
                out.append((_identifier(name), "call" if calls else "operand"))
        elif token.kind == "word":
            upper = token.upper
            if upper not in _KEYWORDS:
                out.append((_identifier(token.text), "call" if calls else "operand"))
            elif calls and upper in _CALL_KEYWORDS:
                out.append((fold(token.text), "call"))
            else:
                out.append((fold(token.text),
                            "operand" if upper in _OPERAND_KEYWORDS else "word"))
        else:
            out.append((_SAME_OPERATOR.get(token.text, token.text), "op"))
    return out


def _same_null_tests(tokens: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``a ISNULL`` -> ``a is null``; ``a NOTNULL`` and ``a NOT NULL`` -> ``a is not null``
    (SQLite's spellings of one test)."""
    out: list[tuple[str, str]] = []
    position = 0
    while position < len(tokens):
        text, kind = tokens[position]
        ends_operand = bool(out) and (out[-1][1] == "operand" or out[-1][0] == ")")
        if text == "isnull" and ends_operand:
            out += [("is", "word"), ("null", "operand")]
        elif ends_operand and (text == "notnull" or (
                text == "not" and position + 1 < len(tokens)
                and tokens[position + 1][0] == "null")):
            out += [("is", "word"), ("not", "word"), ("null", "operand")]
            position += 0 if text == "notnull" else 1
        else:
            out.append((text, kind))
        position += 1
    return out


def normalize_check(tokens: list[Token], columns, *, rowid: bool = True) -> str:
    """A CHECK expression's canonical text, so that no spelling SQLite reads the same is
    drift: tokens joined by single spaces (none inside parentheses, before a comma or a
    call's "(", around "."; none after a unary sign); keywords, function names and
    identifiers lower case (ASCII letters, as SQLite folds them); identifiers unquoted
    unless they need quotes; a "double-quoted" word naming no column of the table is the
    string literal SQLite takes it for; string literals keep their text; outer
    parentheses dropped, and those around an operand of AND / OR that precedence makes
    redundant; ``<>`` is ``!=``, ``==`` is ``=``; ``ISNULL`` is ``IS NULL``,
    ``NOTNULL`` and ``NOT NULL`` are ``IS NOT NULL``. ``columns``: the table's column
    names (``rowid``: the table has a rowid, whose names count as columns).
    """
    names = frozenset(fold(c) for c in columns) | (frozenset(_ROWID) if rowid else frozenset())
    items = _same_null_tests(_canonical(
        _strip_operand_parentheses(_strip_parentheses(list(tokens))), names))
    out: list[str] = []
    unary = False
    for position, (text, kind) in enumerate(items):
        if position:
            previous, previous_kind = items[position - 1]
            tight = (previous in ("(", ".") or text in (")", ",", ".")
                     or (text == "(" and previous_kind == "call")
                     or (unary and (kind != "op" or text == "(")))
            out.append("" if tight else " ")
        out.append(text)
        # a sign is unary after nothing, "(", ",", an operator or a keyword
        before = items[position - 1] if position else None
        unary = kind == "op" and text in ("-", "+", "~") and (
            before is None or before[1] == "word"
            or (before[1] == "op" and before[0] != ")"))
    return "".join(out)
