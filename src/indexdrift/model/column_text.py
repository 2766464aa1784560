"""information_schema.COLUMNS rows → Column, hiding how MySQL and MariaDB spell things.

- Defaults: MariaDB 10.2.7+ shows literal defaults as SQL (``'abc'``, ``0``) and an
  explicit/implicit ``DEFAULT NULL`` as the word ``NULL``; MySQL shows the bare value
  (``abc``) and SQL NULL for both "no default" and "DEFAULT NULL".
- ``current_timestamp()`` (MariaDB) and ``CURRENT_TIMESTAMP`` (MySQL) are one thing.
- EXTRA: ``auto_increment``, ``on update ...``, ``VIRTUAL GENERATED``/``STORED GENERATED``,
  and MySQL's ``DEFAULT_GENERATED`` marker for expression defaults.
"""

from __future__ import annotations

import re

from indexdrift.model.tables import Column

_NOW = re.compile(r"^(current_timestamp|now|localtimestamp|localtime)\s*(\(\s*(\d*)\s*\))?$",
                  re.IGNORECASE)
_NUMERIC = ("tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal",
            "numeric", "float", "double", "real", "bit", "year")


def canonical_expression(text: str) -> str:
    """``current_timestamp()``/``now()``/``CURRENT_TIMESTAMP`` → ``CURRENT_TIMESTAMP``
    (with a precision when one is given); other text unchanged."""
    found = _NOW.match(text.strip())
    if found:
        precision = found.group(3)
        return f"CURRENT_TIMESTAMP({precision})" if precision else "CURRENT_TIMESTAMP"
    return text.strip()


def quote_literal(value: str) -> str:
    """The canonical text of a string default: ``'`` + the value with ``\\`` and ``'``
    doubled + ``'`` (one text per value, so defaults compare byte-exactly; the DDL
    writers never emit it as it is, see ``ddl.mysql.default_literal``)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


# What a backslash escape means where backslashes escape (MySQL's default sql_mode, and
# how MariaDB's information_schema spells defaults: \0, \n, \r, \\ escaped, '' for a quote).
_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}
_MYSQL_STRING = re.compile(r"'((?:[^'\\]|\\.|'')*)'", re.DOTALL)
_ESCAPE = re.compile(r"\\(.)|''", re.DOTALL)


def mysql_unquote(text: str) -> str | None:
    """The value of ``text`` when it is exactly one single-quoted literal read with
    backslash escapes (``'a\\nb'`` → a, line break, b); None for anything else (an
    expression such as ``'a' + 'b'``)."""
    found = _MYSQL_STRING.fullmatch(text)
    if found is None:
        return None

    def one(m: re.Match) -> str:
        if m.group(0) == "''":
            return "'"
        # \% and \_ keep their backslash (LIKE escapes); any other \x is x.
        ch = m.group(1)
        return _ESCAPES.get(ch, "\\" + ch if ch in "%_" else ch)

    return _ESCAPE.sub(one, found.group(1))


def literal_value(default: str | None) -> str | None:
    """The string a canonical default (``quote_literal`` text) stands for; None when the
    default is not a string literal (a number, NULL, an expression)."""
    return mysql_unquote(default) if default else None


def _mariadb_literal(value: str) -> str:
    # MariaDB shows a string default as SQL with backslash escapes (a line break as \n, a
    # backslash as \\, whatever the session's sql_mode): decode it fully, so a line break
    # and a backslash followed by n stay two different defaults.
    inner = mysql_unquote(value)
    if inner is not None:
        return quote_literal(inner)
    return canonical_expression(value)


def normalize_default(raw: str | None, *, flavor: str, data_type: str, nullable: bool,
                      extra: str) -> str | None:
    """The default as SQL text, or None for a NOT NULL column without default."""
    if raw is None or (flavor == "mariadb" and raw == "NULL"):
        return "NULL" if nullable else None
    if flavor == "mariadb":
        return _mariadb_literal(raw)
    if "default_generated" in extra.lower():
        # MySQL 8.0.13+ expression default: the text is an expression, not a literal.
        return canonical_expression(raw)
    if data_type.lower() in _NUMERIC:
        return raw
    if data_type.lower() in ("timestamp", "datetime") and _NOW.match(raw):
        return canonical_expression(raw)
    return quote_literal(raw)


def _on_update(extra: str) -> str | None:
    found = re.search(r"on update (\S+(?:\(\d*\))?)", extra, re.IGNORECASE)
    return canonical_expression(found.group(1)) if found else None


def _generation(extra: str) -> str | None:
    upper = extra.upper()
    if "VIRTUAL GENERATED" in upper:
        return "VIRTUAL"
    if "STORED GENERATED" in upper or "PERSISTENT GENERATED" in upper:
        return "STORED"
    return None


def normalize_expression(text: str | None) -> str | None:
    """A generation expression without outer parentheses and MySQL's charset introducers."""
    if not text:
        return None
    value = re.sub(r"_utf8mb[34]\\?'", "'", text.strip())
    while value.startswith("(") and value.endswith(")") and _balanced(value[1:-1]):
        value = value[1:-1].strip()
    return value


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def column_from_row(row: dict, flavor: str) -> Column:
    """One COLUMNS row (keys as the view names them, upper case) → Column."""
    extra = row.get("EXTRA") or ""
    nullable = (row.get("IS_NULLABLE") or "").upper() == "YES"
    generated = _generation(extra)
    default = normalize_default(row.get("COLUMN_DEFAULT"), flavor=flavor,
                                data_type=row.get("DATA_TYPE") or "", nullable=nullable,
                                extra=extra)
    if generated:
        default = None  # generated columns have no default; MariaDB may show NULL
    return Column(
        name=row["COLUMN_NAME"],
        position=int(row["ORDINAL_POSITION"]),
        column_type=(row.get("COLUMN_TYPE") or "").lower(),
        nullable=nullable,
        default=default,
        comment=row.get("COLUMN_COMMENT") or "",
        charset=row.get("CHARACTER_SET_NAME") or None,
        collation=row.get("COLLATION_NAME") or None,
        auto_increment="auto_increment" in extra.lower(),
        on_update=_on_update(extra),
        generated=generated,
        expression=normalize_expression(row.get("GENERATION_EXPRESSION")) if generated else None,
        check=row.get("COLUMN_CHECK") or None,
    )
