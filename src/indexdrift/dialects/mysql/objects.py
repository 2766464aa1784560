"""Foreign keys, CHECK constraints and table options of a live MySQL/MariaDB schema.

The catalog read (catalog.py) adds the UNION ALL parts below to its one query when
``--objects`` asks for them, and hands their rows here. Every rule that keeps a spelling
or a server default from reading as drift is written down in docs/tables.md ("MySQL and
MariaDB"); the comments here say which catalog behaviour each one answers.

Row kinds (12 columns like every part of the catalog query):

- ``R``: one column of a foreign key (KEY_COLUMN_USAGE joined to REFERENTIAL_CONSTRAINTS);
- ``C``: one CHECK constraint, its clause in the last column;
- ``D``: the server's ``innodb_default_row_format`` (one row);
- the ``T`` row of each table carries ENGINE, TABLE_COLLATION, CREATE_OPTIONS and
  TABLE_COMMENT when the options are read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from indexdrift.model.tables import CheckConstraint, ForeignKey
from indexdrift.sources.sqlcells import string_end

FOREIGN_KEYS, CHECKS, OPTIONS = "foreign_keys", "checks", "options"

Version = tuple[int, int, int]

# MySQL reads CHECK constraints from 8.0.16; before, the server parses and ignores them
# (MySQL manual, "CHECK Constraints"), so a table there has none.
MYSQL_CHECKS = (8, 0, 16)
# MariaDB enforces CHECK constraints from 10.2.1 (ignored before); information_schema
# shows them from 10.2.22 / 10.3.10 (MDEV-17323), with LEVEL ('Column' | 'Table') from
# 10.5.10 (MDEV-24601).
MARIADB_CHECKS = (10, 2, 1)
MARIADB_CHECK_VIEW = {(10, 2): (10, 2, 22), (10, 3): (10, 3, 10)}
MARIADB_CHECK_LEVEL = (10, 5, 10)
# innodb_default_row_format exists from MySQL 5.7.9 / MariaDB 10.2.2; before, an InnoDB
# table without ROW_FORMAT got COMPACT.
DEFAULT_ROW_FORMAT_VARIABLE = {"mysql": (5, 7, 9), "mariadb": (10, 2, 2)}
OLD_DEFAULT_ROW_FORMAT = "COMPACT"

CHECKS_UNREADABLE = ("this MariaDB version enforces CHECK constraints but shows them in no "
                     "information_schema view before 10.2.22 / 10.3.10: checks are not "
                     "compared for this env")


def _nulls(count: int) -> str:
    return ", ".join(["NULL"] * count)


def checks_readable(flavor: str, version: Version) -> bool | None:
    """True when the server shows its CHECK constraints in information_schema, False when
    it has none to show (it ignores CHECK clauses), None when it enforces them but shows
    them nowhere (MariaDB 10.2.1 to 10.2.21 and 10.3.0 to 10.3.9)."""
    if flavor != "mariadb":
        return version >= MYSQL_CHECKS
    if version < MARIADB_CHECKS:
        return False
    first = MARIADB_CHECK_VIEW.get(version[:2])
    return None if first is not None and version < first else True


def foreign_key_part() -> str:
    """The UNION ALL part of foreign key columns (two schema parameters).

    REFERENTIAL_CONSTRAINTS holds the rules, KEY_COLUMN_USAGE the columns in key order
    with the column each references; both are filtered on their own schema column, which
    is what lets the server read only this schema's tables. The two schemas are not also
    equated in the join: MariaDB 10.11 then treats them as one equality and opens every
    database's tables for REFERENTIAL_CONSTRAINTS (EXPLAIN: "Scanned all databases"; 45 s
    with 30,000 tables elsewhere on the server). A foreign key lives in its table's
    schema, so both filters name the same one.
    """
    return (
        "SELECT 'R', k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION, k.COLUMN_NAME, "
        "k.REFERENCED_TABLE_SCHEMA, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, "
        "r.UPDATE_RULE, r.DELETE_RULE, r.MATCH_OPTION, NULL "
        "FROM information_schema.KEY_COLUMN_USAGE k "
        "JOIN information_schema.REFERENTIAL_CONSTRAINTS r "
        "ON r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME "
        "WHERE k.TABLE_SCHEMA = %s AND r.CONSTRAINT_SCHEMA = %s "
        "AND k.REFERENCED_TABLE_NAME IS NOT NULL")


def check_part(flavor: str, version: Version) -> tuple[str, int] | None:
    """The UNION ALL part of CHECK constraints for this server and how many schema
    parameters it takes; None when the server shows none (``checks_readable``).

    Columns: 'C', table, name, level ('Column' | 'Table'), enforced ('YES' | 'NO'), the
    clause last (where the index rows have their expression, already a long text).
    """
    if not checks_readable(flavor, version):
        return None
    if flavor != "mariadb":
        # MySQL's CHECK_CONSTRAINTS has no TABLE_NAME: TABLE_CONSTRAINTS has it, and
        # ENFORCED. A column-level check there is a table check like any other.
        return ("SELECT 'C', tc.TABLE_NAME, cc.CONSTRAINT_NAME, NULL, NULL, 'Table', "
                f"tc.ENFORCED, {_nulls(4)}, cc.CHECK_CLAUSE "
                "FROM information_schema.CHECK_CONSTRAINTS cc "
                "JOIN information_schema.TABLE_CONSTRAINTS tc "
                "ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = "
                "cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK' "
                "WHERE cc.CONSTRAINT_SCHEMA = %s AND tc.TABLE_SCHEMA = %s", 2)
    if version >= MARIADB_CHECK_LEVEL:
        return ("SELECT 'C', TABLE_NAME, CONSTRAINT_NAME, NULL, NULL, LEVEL, 'YES', "
                f"{_nulls(4)}, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                "WHERE CONSTRAINT_SCHEMA = %s", 1)
    # Without LEVEL, a column-level check is the one named after a column of its table
    # (MariaDB names them so; a table check may be named like a column too, rarely).
    return ("SELECT 'C', cc.TABLE_NAME, cc.CONSTRAINT_NAME, NULL, NULL, "
            "CASE WHEN c.COLUMN_NAME IS NULL THEN 'Table' ELSE 'Column' END, 'YES', "
            f"{_nulls(4)}, cc.CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS cc "
            "LEFT JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = cc.CONSTRAINT_SCHEMA "
            "AND c.TABLE_NAME = cc.TABLE_NAME AND c.COLUMN_NAME = cc.CONSTRAINT_NAME "
            "WHERE cc.CONSTRAINT_SCHEMA = %s", 1)


def default_row_format_part(flavor: str, version: Version) -> str | None:
    """The UNION ALL part with the server's default InnoDB row format (no parameter);
    None before the variable exists (the default was COMPACT then)."""
    first = DEFAULT_ROW_FORMAT_VARIABLE["mariadb" if flavor == "mariadb" else "mysql"]
    if version < first:
        return None
    return f"SELECT 'D', @@innodb_default_row_format, {_nulls(10)}"


# --- foreign keys -------------------------------------------------------------------

# InnoDB: "NO ACTION ... is equivalent to RESTRICT" and an unspecified action is the
# default, RESTRICT / NO ACTION (MySQL manual, "FOREIGN KEY Constraints", Referential
# Actions); MariaDB reports an unspecified rule as RESTRICT, MySQL 8 as NO ACTION. NDB
# alone tells them apart (NO ACTION is a deferred check there).
_SAME_AS_NO_ACTION = {"RESTRICT"}


def _rule(value: str | None, engine: str | None) -> str:
    rule = (value or "NO ACTION").strip().upper()
    if rule in _SAME_AS_NO_ACTION and (engine or "").lower() != "ndbcluster":
        return "NO ACTION"
    return rule


def _match(value: str | None) -> str:
    # MATCH_OPTION is always NONE: InnoDB parses MATCH and ignores it, behaving as
    # MATCH SIMPLE (MySQL manual, "FOREIGN KEY Constraints").
    match = (value or "NONE").strip().upper()
    return "SIMPLE" if match == "NONE" else match


class ForeignKeyRows:
    """Collects ``R`` rows and builds each table's full foreign keys."""

    def __init__(self, schema: str | None) -> None:
        self.schema = schema
        self._keys: dict[tuple[str, str], list[tuple]] = {}

    def add(self, row: tuple, text) -> None:
        """Record one ``R`` row (``text`` decodes a cell)."""
        key = (text(row[1]), text(row[2]))
        self._keys.setdefault(key, []).append(row)

    def build(self, engines: dict[str, str | None], text) -> dict[str, tuple[ForeignKey, ...]]:
        """{table: its foreign keys sorted by name}."""
        tables: dict[str, list[ForeignKey]] = {}
        for (table, name), rows in self._keys.items():
            rows.sort(key=lambda r: int(r[3]))
            first = rows[0]
            ref_schema = text(first[5])
            engine = engines.get(table)
            tables.setdefault(table, []).append(ForeignKey(
                table=table, name=name,
                columns=tuple(text(r[4]) for r in rows),
                ref_table=text(first[6]),
                ref_columns=tuple(text(r[7]) for r in rows),
                ref_schema=None if ref_schema in (None, self.schema) else ref_schema,
                on_update=_rule(text(first[8]), engine),
                on_delete=_rule(text(first[9]), engine),
                match=_match(text(first[10])),
            ))
        return {table: tuple(sorted(keys, key=lambda k: (k.name_key, k.name)))
                for table, keys in tables.items()}


# --- CHECK constraints ----------------------------------------------------------------

_INTRODUCER = re.compile(r"(?<![\w$])_([A-Za-z0-9]+)\s*$")


def _mysql_unescape(text: str) -> str:
    """Undo the extra escaping MySQL 8 puts in CHECK_CLAUSE (``_utf8mb4\\'a\\'`` where
    SHOW CREATE TABLE has ``_utf8mb4'a'``): one level of ``\\'`` and ``\\\\``."""
    if "\\" not in text:
        return text
    out, i, n = [], 0, len(text)
    while i < n:
        if text[i] == "\\" and i + 1 < n and text[i + 1] in "'\\":
            out.append(text[i + 1])
            i += 2
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def _quoted_end(text: str, start: int) -> int:
    """Index just past the quoted run opening at ``start`` (backslash escapes and doubled
    quotes in strings, doubled backticks in names); the text's end when it never closes."""
    quote = text[start]
    end = string_end(text, start, quote, escapes=quote != "`")
    return len(text) if end < 0 else end + 1


def _pieces(text: str) -> list[tuple[bool, str]]:
    """The text cut into (quoted, piece) runs: strings and quoted names apart."""
    pieces, i, start, n = [], 0, 0, len(text)
    while i < n:
        if text[i] in "'\"`":
            if i > start:
                pieces.append((False, text[start:i]))
            end = _quoted_end(text, i)
            pieces.append((True, text[i:end]))
            i = start = end
            continue
        i += 1
    if start < n:
        pieces.append((False, text[start:]))
    return pieces


def _without_introducers(text: str) -> str:
    """``_utf8mb4'a'`` → ``'a'``: the character set introducer MySQL writes before every
    string of a clause (and a user may write); ``_binary`` changes the meaning and stays."""
    pieces = _pieces(text)
    out = []
    for index, (quoted, piece) in enumerate(pieces):
        if not quoted and index + 1 < len(pieces) and pieces[index + 1][1].startswith("'"):
            found = _INTRODUCER.search(piece)
            if found and found.group(1).lower() != "binary":
                piece = piece[:found.start()]
        out.append(piece)
    return "".join(out)


def _enclosing_parens(text: str) -> bool:
    """True when the text's first ``(`` closes at its last character."""
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth, i, n = 0, 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"`":
            i = _quoted_end(text, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i == n - 1
        i += 1
    return False


def check_expression(clause: str, flavor: str) -> str:
    """A CHECK_CLAUSE as compared: the server's own reprint of the parsed expression
    (spacing, keyword case, backticks, redundant parentheses, ``!=``/``<>`` are already
    one spelling), without MySQL's enclosing parentheses, its doubled escaping and the
    character set introducers."""
    text = clause.strip()
    if flavor != "mariadb":
        text = _mysql_unescape(text)
    text = _without_introducers(text)
    while _enclosing_parens(text):
        text = text[1:-1].strip()
    return text


def json_type_check(name: str, clause: str) -> bool:
    """True for the check MariaDB gives a JSON column (``json_valid(`j`)``, named after
    the column): part of the column's type, not a constraint of its own."""
    return clause.strip() == "json_valid(`" + name.replace("`", "``") + "`)"


def build_checks(rows: Iterable[tuple], flavor: str, text
                 ) -> tuple[dict[str, dict[str, CheckConstraint]], list[str]]:
    """``C`` rows → ({table: {name_key: CheckConstraint}}, warnings)."""
    tables: dict[str, dict[str, CheckConstraint]] = {}
    warnings: list[str] = []
    for row in rows:
        table, name, clause = text(row[1]), text(row[2]), text(row[11]) or ""
        column = name if text(row[5]) == "Column" else None
        if column is not None and json_type_check(name, clause):
            continue
        check = CheckConstraint(table=table, name=name,
                                expression=check_expression(clause, flavor), column=column,
                                enforced=(text(row[6]) or "YES").upper() != "NO")
        found = tables.setdefault(table, {})
        if check.name_key in found:
            # Old MariaDB let a table check take the name of a column with a check of
            # its own (MDEV-24598): the model keys checks by name, so keep the first.
            warnings.append(f"table {table}: two CHECK constraints are named {name}; only "
                            "one is compared")
            continue
        found[check.name_key] = check
    return tables, warnings


# --- table options ----------------------------------------------------------------------

_ROW_FORMAT = re.compile(r"(?:^|\s)row_format=(\w+)", re.IGNORECASE)
_INNODB_FREE = re.compile(r"(?:^|;\s*)InnoDB free: \d+ [kKMG]B$")


def collation_name(value: str) -> str:
    """The collation as compared: lower case, ``utf8_…`` as ``utf8mb3_…`` (MySQL 8.0.30+
    and MariaDB 10.6+ report the utf8mb3 names, older servers the utf8 alias)."""
    name = value.strip().lower()
    return "utf8mb3_" + name[len("utf8_"):] if name.startswith("utf8_") else name


def charset_of(collation: str) -> str:
    """The character set of a collation: its name up to the first ``_`` (every collation
    name starts with its character set's, which holds no ``_``; ``binary`` is both)."""
    return collation.partition("_")[0]


def row_format(create_options: str | None, engine: str | None,
               innodb_default: str | None) -> str:
    """The declared ROW_FORMAT: the explicit one (CREATE_OPTIONS), else what the engine
    gives a table without one: InnoDB the server's innodb_default_row_format, Aria PAGE,
    any other engine ``DEFAULT`` (MyISAM's follows the columns). The ROW_FORMAT column is
    not used: it is the effective format, not a table option."""
    found = _ROW_FORMAT.search(create_options or "")
    if found and found.group(1).upper() != "DEFAULT":
        return found.group(1).upper()
    kind = (engine or "").lower()
    if kind == "innodb":
        return (innodb_default or OLD_DEFAULT_ROW_FORMAT).upper()
    return "PAGE" if kind == "aria" else "DEFAULT"


def table_comment(value: str | None) -> str:
    """TABLE_COMMENT without the ``InnoDB free: N kB`` that MySQL before 5.5 and its
    InnoDB plugin appended for InnoDB tables."""
    text = value or ""
    return _INNODB_FREE.sub("", text) if "InnoDB free:" in text else text


def table_options(engine: str | None, collation: str | None, create_options: str | None,
                  comment: str | None, innodb_default: str | None) -> dict[str, str]:
    """The compared options of one table (keys of TABLE_OPTIONS["mysql"], in its order).

    A table the server cannot open (ENGINE NULL: its comment is then the error) has none:
    an option one side does not know is not compared.
    """
    if engine is None:
        return {}
    options = {"engine": engine}
    if collation:
        name = collation_name(collation)
        options["charset"] = charset_of(name)
        options["collation"] = name
    options["row_format"] = row_format(create_options, engine, innodb_default)
    options["comment"] = table_comment(comment)
    return options
