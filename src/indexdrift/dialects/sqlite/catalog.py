"""SQLite reader: ``PRAGMA index_list`` / ``index_xinfo`` and ``sqlite_master.sql``.

One query per file: the table-valued pragma functions join every table to its indexes and
their key columns. Expressions and partial-index predicates exist only in the original
``CREATE INDEX`` text, so they are cut out of ``sqlite_master.sql``. The file is opened
read-only. ``sqlite_autoindex_*`` indexes belong to PRIMARY KEY / UNIQUE constraints of
the table definition; they are reported with ``constraint`` set and never recreated by
migrations. An ``INTEGER PRIMARY KEY`` is the rowid and has no index row at all.

Asked for (``objects``), the same connection also reads every table's foreign keys in
full, CHECK constraints and WITHOUT ROWID / STRICT: the pragmas where SQLite has them,
the rest (constraint names, DEFERRABLE, checks) from the ``CREATE TABLE`` text
(``create_table.py``). docs/tables.md lists the rules.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import replace
from pathlib import Path

from indexdrift.core.errors import InputError, NoTablesInput, SourceError
from indexdrift.core.i18n import Message
from indexdrift.core.inputfile import check_regular
from indexdrift.dialects.sqlite.columns import column_query, columns_of
from indexdrift.dialects.sqlite.create_table import (
    TableText,
    fold,
    normalize_check,
    parse_create_table,
)
from indexdrift.model.tables import (
    TABLE_OPTIONS,
    CheckConstraint,
    ForeignKey,
    Index,
    KeyPart,
    SchemaObject,
    Snapshot,
)
from indexdrift.sources.checks import check_columns

CATALOG_QUERY = """
SELECT m.name, il.name, il."unique", il.origin, il.partial, s.sql,
       ix.seqno, ix.cid, ix.name, ix."desc", ix.coll, ix."key"
FROM sqlite_master m
LEFT JOIN pragma_index_list(m.name) il
LEFT JOIN pragma_index_xinfo(il.name) ix ON ix."key" = 1
LEFT JOIN sqlite_master s ON s.type = 'index' AND s.name = il.name
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY m.name, il.name, ix.seqno
"""


# Foreign keys of every table (PRAGMA foreign_key_list): one row per column pair; ``to`` is
# NULL when the key references the parent's PRIMARY KEY without naming its columns.
FOREIGN_KEY_QUERY = """
SELECT m.name, fk.id, fk."table", fk."from", fk."to", fk.seq, fk.on_update, fk.on_delete,
       fk."match"
FROM sqlite_master m
JOIN pragma_foreign_key_list(m.name) fk
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY m.name, fk.id, fk.seq
"""

# Read only when objects are asked for, on the same connection:
# the CREATE TABLE texts (constraint names, DEFERRABLE, CHECKs);
TABLE_TEXT_QUERY = """
SELECT name, sql FROM sqlite_master
WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
"""
# the PRIMARY KEY columns of the parents that foreign keys reference without naming
# columns (real tables only: pragma_table_info of a virtual table needs its module);
PRIMARY_KEY_QUERY = """
WITH parents AS (
  SELECT DISTINCT p.name FROM sqlite_master m
  JOIN pragma_foreign_key_list(m.name) fk
  JOIN sqlite_master p ON p.type = 'table' AND p.name = fk."table" COLLATE NOCASE
  WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
    AND fk."to" IS NULL AND p.sql NOT LIKE 'CREATE VIRTUAL%'
)
SELECT parents.name, ti.pk, ti.name FROM parents JOIN pragma_table_info(parents.name) ti
WHERE ti.pk > 0 ORDER BY parents.name, ti.pk
"""
# WITHOUT ROWID and STRICT (SQLite 3.37+; older libraries: the CREATE TABLE tail).
# Every stored definition, in the order SQLite keeps them: a rebuild re-creates the
# triggers and views of a table from it (they are not in the model), a rollback the env's
# own table and indexes (text exactly as it was).
SCHEMA_SQL_QUERY = ("SELECT type, name, tbl_name, sql FROM sqlite_schema "
                    "WHERE sql IS NOT NULL ORDER BY rowid")
OPTIONS_QUERY = "SELECT name, wr, strict FROM pragma_table_list WHERE schema = 'main'"
TABLE_LIST_VERSION = (3, 37, 0)


def path_from_url(url: str) -> str:
    """``sqlite:///relative.db`` or ``sqlite:////absolute.db`` (SQLAlchemy's convention)."""
    rest = url.split("://", 1)[1]
    if not rest.startswith("/"):
        raise ValueError(f"{url}: write sqlite:///relative/path.db or sqlite:////absolute.db")
    return rest[1:].split("?", 1)[0]


# --- reading CREATE INDEX text ------------------------------------------------------------

_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|--[^\n]*|/\*.*?\*/|
                        \(|\)|,|\s+|[^\s(),'"`\[]+""", re.S | re.X)


def _tokens(sql: str) -> list[str]:
    return [t for t in _TOKEN.findall(sql) if not t.startswith(("--", "/*"))]


def _wordish(char: str) -> bool:
    return char.isalnum() or char in "_\"'`]["


def normalize_sql(text: str) -> str:
    """Drop whitespace outside quotes except between two words (``c + 1`` -> ``c+1``,
    ``a  AND b`` -> ``a and b``), so a re-indented or re-spaced definition is not drift.

    Everything but '...' string literals is lower-cased: SQLite keywords, function names
    and identifiers (quoted ones too) are case-insensitive, so ``LOWER(Email) IS NULL``
    and ``lower(email) is null`` are the same definition; ``'Open'`` and ``'open'`` are not.
    """
    tokens = [t if t.startswith("'") else t.lower() for t in _tokens(text)]
    out: list[str] = []
    for position, token in enumerate(tokens):
        if token.isspace():
            before = out[-1][-1] if out else ""
            after = next((t[0] for t in tokens[position + 1:] if not t.isspace()), "")
            if before and after and (_wordish(before) or before == ")") and _wordish(after):
                out.append(" ")
        else:
            out.append(token)
    return "".join(out).strip()


def _unwrapped(text: str) -> str:
    """``(done=0)`` -> ``done=0``: parentheses around a whole (normalised) predicate mean
    nothing."""
    while text.startswith("(") and text.endswith(")"):
        depth, closes = 0, 0
        for token in _tokens(text):
            depth += (token == "(") - (token == ")")
            closes += depth == 0
        if closes != 1:  # "(a) and (b)": the first group ends before the text does
            break
        text = text[1:-1]
    return text


def split_create_index(sql: str) -> tuple[list[str], str | None]:
    """The key-part texts and the WHERE predicate of a ``CREATE INDEX`` statement."""
    tokens = _tokens(sql)
    try:
        start = tokens.index("(")
    except ValueError:
        return [], None
    depth, items, current, end = 0, [], [], len(tokens)
    for position in range(start, len(tokens)):
        token = tokens[position]
        if token == "(":
            depth += 1
            if depth == 1:
                continue
        elif token == ")":
            depth -= 1
            if depth == 0:
                items.append("".join(current))
                end = position
                break
        elif token == "," and depth == 1:
            items.append("".join(current))
            current = []
            continue
        current.append(token)
    rest = tokens[end + 1:]
    predicate = None
    words = [t.upper() for t in rest]
    if "WHERE" in words:
        predicate = _unwrapped(normalize_sql("".join(rest[words.index("WHERE") + 1:])
                                             .rstrip(";")))
    return [normalize_sql(item) for item in items], predicate or None


_SUFFIX = re.compile(r"""(?:\s+|(?<=[)"'`\]]))
                         (?:COLLATE\s+(?:"(?:[^"]|"")*"|'(?:[^']|'')*'|\S+)|ASC|DESC)\s*$""",
                     re.I | re.X)


def strip_order_and_collation(item: str) -> str:
    """A key-part text without its trailing ``COLLATE x`` and ``ASC``/``DESC``."""
    previous = None
    while previous != item:
        previous = item
        item = _SUFFIX.sub("", item)
    return item.strip()


def strip_outer_parentheses(text: str) -> str:
    """``(a + b)`` -> ``a + b``, so ``t((a+b))`` and ``t(a+b)`` read the same."""
    while True:
        tokens = _tokens(text)
        if len(tokens) < 2 or tokens[0] != "(" or tokens[-1] != ")":
            return text
        depth = 0
        for position, token in enumerate(tokens):
            depth += token == "("
            depth -= token == ")"
            if depth == 0 and position < len(tokens) - 1:
                return text
        text = normalize_sql("".join(tokens[1:-1]))


def read_sqlite(path: str, *, display: str | None = None,
                objects: frozenset[str] = frozenset(), columns: bool = False,
                env: str | None = None) -> Snapshot:
    """Read every table's indexes of a SQLite database file (opened read-only), and the
    ``objects`` asked for ("foreign_keys", "checks", "options") and, with ``columns``,
    every table's columns (columns.py) on the same connection (``env`` names the env in
    the errors of the column check).

    A file SQLite cannot read (not a database, damaged, text that is not UTF-8) and a
    database without tables are input errors naming the file.
    """
    shown = display or path
    file = Path(path)
    check_regular(file, shown)
    if not file.is_file():
        raise InputError(shown, Message("error.sqlite.no_file"))
    try:
        conn = sqlite3.connect(file.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise InputError(shown, Message("error.sqlite.cannot_open", reason=_said(exc))) from None
    try:
        rows = conn.execute(CATALOG_QUERY).fetchall()
        fk_rows = conn.execute(FOREIGN_KEY_QUERY).fetchall()
        version = conn.execute("SELECT sqlite_version()").fetchone()[0]
        schema_rows = conn.execute(SCHEMA_SQL_QUERY).fetchall()
        extra = _read_objects(conn, objects) if objects else None
        column_rows = _read_columns(conn) if columns else None
    except sqlite3.Error as exc:
        raise InputError(shown, Message("error.sqlite.unreadable", reason=_said(exc))) from None
    except UnicodeDecodeError:  # SQLite's own error message held bytes of a damaged file
        raise InputError(shown, Message("error.sqlite.damaged_utf8")) from None
    finally:
        conn.close()
    if not rows:
        raise NoTablesInput(shown, "the SQLite database shows no tables: it is empty (a 0-byte "
                            "file is an empty database), or it is not the file meant",
                            Snapshot(source=shown, schema="main", flavor="sqlite",
                                     version=version, has_details=True,
                                     objects=frozenset(objects)))
    _check_rows(rows, fk_rows, shown)
    snapshot = Snapshot(source=shown, schema="main", flavor="sqlite", version=version,
                        has_details=True)
    build_snapshot(snapshot, rows)
    snapshot.schema_sql = schema_objects(schema_rows)
    add_foreign_key_dependents(snapshot, fk_rows)
    if extra is not None:
        add_objects(snapshot, objects, fk_rows, *_checked_objects(extra, shown))
    if column_rows is not None:
        rows, texts = _checked_columns(column_rows, shown)
        parsed = {name: parse_create_table(sql) for name, sql in texts}
        snapshot.set_columns(check_columns(columns_of(rows, parsed, snapshot.tables),
                                           env or shown, shown))
    return snapshot


def schema_objects(rows: list[tuple]) -> tuple[SchemaObject, ...]:
    """The definitions of ``SCHEMA_SQL_QUERY``'s rows; a text that is not exactly one
    statement (only a hand-edited schema holds one) is kept with the text ``""``: never
    written, and a rebuild in that env is held rather than lose it."""
    return tuple(SchemaObject(kind, name, table,
                              sql if isinstance(sql, str) and single_statement(sql) else "")
                 for kind, name, table, sql in rows)


# What a ``;`` can stand in that does not end a statement (strings, quoted names, comments),
# then any other character: the ``;`` found so are the ones that might.
_TOP_LEVEL = re.compile(r"""'(?:[^']|'')*'?|"(?:[^"]|"")*"?|\[[^\]]*\]?|`(?:[^`]|``)*`?"""
                        r"""|--[^\n]*|/\*.*?(?:\*/|\Z)|[^'"[`;/-]+|.""", re.S)
MAX_INNER_STATEMENTS = 256  # ; inside one stored definition (a trigger's body)


def statement_text(sql: str) -> str | None:
    """``sql`` (a stored definition) as one statement of a script: ended by ``;`` (on a
    line of its own after a trailing ``--`` comment, which SQLite keeps in the text);
    None when that is not exactly one complete statement (no ``;`` inside it may end a
    complete statement before its end: a trigger's body keeps its own)."""
    for text in (sql + ";", sql + "\n;"):
        if sqlite3.complete_statement(text):
            break
    else:
        return None
    ends = [m.start() for m in _TOP_LEVEL.finditer(sql) if m.group() == ";"]
    if len(ends) > MAX_INNER_STATEMENTS:
        return None  # each is a scan of the text: a bound, not a trigger anyone writes
    if any(sqlite3.complete_statement(sql[:i + 1]) for i in ends):
        return None
    return text


def single_statement(sql: str) -> bool:
    """True when ``statement_text`` can write ``sql`` back."""
    return statement_text(sql) is not None


def _read_columns(conn: sqlite3.Connection) -> tuple[list, list]:
    """The column rows (columns.QUERY) and the CREATE TABLE texts."""
    return (conn.execute(column_query(sqlite3.sqlite_version_info)).fetchall(),
            conn.execute(TABLE_TEXT_QUERY).fetchall())


# Column rows: (table, cid, name, type, notnull, default, pk, hidden); which positions must
# hold text, text or NULL, and integers.
_COLUMN_TEXT, _COLUMN_TEXT_OR_NULL, _COLUMN_NUMBERS = (0, 2, 3), (5,), (1, 4, 6, 7)


def _checked_columns(found: tuple[list, list], shown: str) -> tuple[list, list]:
    """The column rows and texts, refusing a damaged file's values of the wrong type."""
    rows, texts = found
    for row in rows:
        for position, value in enumerate(row):
            if (isinstance(value, str) and position in _COLUMN_TEXT + _COLUMN_TEXT_OR_NULL) \
                    or (value is None and position in _COLUMN_TEXT_OR_NULL) \
                    or (type(value) is int and position in _COLUMN_NUMBERS):
                continue
            raise InputError(shown, Message("error.sqlite.damaged_definition",
                                             value=f"{value!r:.40}"))
    return rows, _checked_objects((texts, [], None), shown)[0]


def _read_objects(conn: sqlite3.Connection,
                  objects: frozenset[str]) -> tuple[list, list, list | None]:
    """The CREATE TABLE texts, the referenced PRIMARY KEYs and the table options rows."""
    texts = conn.execute(TABLE_TEXT_QUERY).fetchall()
    keys = conn.execute(PRIMARY_KEY_QUERY).fetchall() if "foreign_keys" in objects else []
    options = None  # before SQLite 3.37: read from the CREATE TABLE texts
    if "options" in objects and sqlite3.sqlite_version_info >= TABLE_LIST_VERSION:
        options = conn.execute(OPTIONS_QUERY).fetchall()
    return texts, keys, options


def _checked_objects(extra: tuple[list, list, list | None],
                     shown: str) -> tuple[list, list, list | None]:
    """The object rows, refusing a damaged file's non-text where a name or text belongs."""
    texts, keys, options = extra
    for row in texts + keys + [r[:1] for r in options or ()]:
        if not isinstance(row[0], str) or not isinstance(row[-1], str):
            raise InputError(shown, Message("error.sqlite.damaged_name", value=f"{row!r:.40}"))
    return texts, keys, options


def _said(exc: sqlite3.Error) -> str:
    """SQLite's message on one short line: it can quote the damaged file's bytes (line
    breaks, control characters, any length)."""
    text = "".join(c if c.isprintable() else "?" for c in str(exc))
    return text if len(text) <= 200 else text[:200] + "..."


# Positions of the catalog rows' values that must be text: always (names of tables and
# foreign-key columns, referential actions, MATCH), or unless NULL (the LEFT JOINed index
# and key-part columns).
_NAMES = ((0,), (0, 2, 3, 6, 7, 8))
_NAMES_OR_NULL = ((1, 3, 5, 8, 10), (4,))


def _check_rows(rows: list[tuple], fk_rows: list[tuple], shown: str) -> None:
    """Refuse catalog values of the wrong type: a damaged file can hold a number, a blob
    or NULL where a name belongs, which no later step expects."""
    for found, names, names_or_null in zip((rows, fk_rows), _NAMES, _NAMES_OR_NULL,
                                           strict=True):
        for row in found:
            for position in (*names, *names_or_null):
                value = row[position]
                if isinstance(value, str) or (value is None and position in names_or_null):
                    continue
                raise InputError(shown, Message("error.sqlite.damaged_name",
                                                 value=f"{value!r:.40}"))


def serves_parent_key(index: Index, columns: list[str]) -> bool:
    """True when SQLite can use ``index`` as the parent key of a foreign key naming
    ``columns``: a UNIQUE index, not partial, on exactly those columns in any order."""
    return (index.unique and index.predicate is None and len(index.parts) == len(columns)
            and all(p.column is not None for p in index.parts)
            and {p.column.lower() for p in index.parts} == {c.lower() for c in columns})


def add_foreign_key_dependents(snapshot: Snapshot, fk_rows: list[tuple]) -> None:
    """Record on each parent table which foreign keys rely on which of its unique indexes
    (``Table.referenced_by``): SQLite lets such an index be dropped, and every later write
    to the child table then fails with "foreign key mismatch"."""
    keys: dict[tuple[str, int], tuple[str, list[str], list[str | None]]] = {}
    for child, fk_id, parent, source, target, *_ in fk_rows:
        entry = keys.setdefault((child, fk_id), (parent, [], []))
        entry[1].append(source)
        entry[2].append(target)
    by_fold = {name.lower(): table for name, table in snapshot.tables.items()}
    for (child, _), (parent, sources, targets) in keys.items():
        table = by_fold.get(parent.lower())
        if table is None or None in targets:
            continue  # a missing parent, or its PRIMARY KEY (never dropped by a migration)
        label = f"{child}({', '.join(sources)})"
        for index in table.indexes.values():
            if serves_parent_key(index, targets):  # type: ignore[arg-type]
                known = table.referenced_by.get(index.name_key, ())
                table.referenced_by[index.name_key] = (*known, label)


def build_snapshot(snapshot: Snapshot, rows: list[tuple]) -> Snapshot:
    """Group the query's rows (one per key column) into indexes."""
    grouped: dict[tuple[str, str], list[tuple]] = {}
    for row in rows:
        table, index = row[0], row[1]
        snapshot.table(table)
        if index is not None:
            grouped.setdefault((table, index), []).append(row)
    for (table, name), parts_rows in grouped.items():
        _, _, unique, origin, partial, sql = parts_rows[0][:6]
        texts, predicate = split_create_index(sql) if sql else ([], None)
        parts: list[KeyPart] = []
        for position, row in enumerate(r for r in parts_rows if r[6] is not None):
            _, _, _, _, _, _, _seqno, cid, column, desc, coll, _key = row
            collation = coll.upper() if coll and coll.upper() != "BINARY" else None
            expression = None
            if cid == -2:
                text = texts[position] if position < len(texts) else "?"
                expression = strip_outer_parentheses(strip_order_and_collation(text))
                column = None
            parts.append(KeyPart(column=column, expression=expression, descending=bool(desc),
                                 collation=collation))
        constraint = {"pk": "p", "u": "u"}.get(origin)
        snapshot.table(table).add(Index(
            table=table,
            name=name,
            parts=tuple(parts),
            unique=bool(unique),
            primary=origin == "pk",
            index_type="BTREE",
            predicate=predicate if partial else None,
            constraint=constraint,
        ))
    return snapshot


# --- foreign keys, checks and table options (read when objects ask) ----------------------

READS = ("foreign_keys", "checks", "options")


def add_objects(snapshot: Snapshot, objects: frozenset[str], fk_rows: list[tuple],
                texts: list[tuple[str, str]], keys: list[tuple],
                options: list[tuple] | None) -> None:
    """Give every table the foreign keys, checks and options ``objects`` asks for, and name
    them in ``snapshot.objects``. ``texts``: (table, CREATE TABLE text); ``keys``: (parent,
    position, column) of referenced PRIMARY KEYs; ``options``: pragma_table_list's (table,
    wr, strict), None before SQLite 3.37."""
    parsed = {name: parse_create_table(sql) for name, sql in texts}
    tables = snapshot.tables
    if "foreign_keys" in objects:
        primary: dict[str, list[str]] = {}
        for parent, _position, column in keys:
            primary.setdefault(fold(parent), []).append(column)
        for name, found in foreign_keys_of(fk_rows, parsed, primary, snapshot.warnings).items():
            if name in tables:
                tables[name].foreign_keys = found
    if "checks" in objects:
        for name, table in tables.items():
            text = parsed.get(name)
            table.checks = checks_of(name, text) if text is not None else {}
    if "options" in objects:
        flags = ({name: (wr, strict) for name, wr, strict in options} if options is not None
                 else {name: (t.without_rowid, t.strict) for name, t in parsed.items()})
        for name, table in tables.items():
            values = ("1" if flag else "0" for flag in flags.get(name, (0, 0)))
            table.options = dict(zip(TABLE_OPTIONS["sqlite"], values, strict=True))
    snapshot.objects = snapshot.objects | (objects & frozenset(READS))


def _unique_names(written: list[str | None], synthesized: list[str], order: list) -> list[str]:
    """Each constraint's name: the CONSTRAINT name where written, else the synthesized one;
    a name the table already has (a repeated CONSTRAINT name, a synthesized name that is
    taken) gets ``_2``, ``_3``… Written names are given first, then synthesized ones, each
    in ``order`` (their definitions), never in declaration order: two envs declaring the
    same constraints in another order name them alike."""
    taken: set[str] = set()
    names: list[str] = [""] * len(written)

    def free(name: str) -> str:
        candidate, number = name, 1
        while candidate.lower() in taken:
            number += 1
            candidate = f"{name}_{number}"
        taken.add(candidate.lower())
        return candidate

    given = sorted((p for p, n in enumerate(written) if n is not None),
                   key=lambda p: (written[p].lower(), order[p]))  # type: ignore[union-attr]
    for position in given:
        names[position] = free(written[position])  # type: ignore[arg-type]
    for position in sorted((p for p, n in enumerate(written) if n is None),
                           key=lambda p: order[p]):
        names[position] = free(synthesized[position])
    return names


def _written_keys(declared: list[list[tuple]], written: list) -> list:
    """The CREATE TABLE text's foreign key of each pragma key (None when not found):
    SQLite numbers a table's keys from the last declared, so they pair in order; should
    columns or parents not agree, each pairs with the first unpaired one that does."""
    def pragma_key(rows: list[tuple]) -> tuple:
        return tuple(fold(r[3]) for r in rows), fold(rows[0][2])

    def text_key(key) -> tuple:
        return tuple(fold(c) for c in key.columns), fold(key.parent)

    if len(declared) == len(written) and all(
            pragma_key(d) == text_key(w) for d, w in zip(declared, written, strict=True)):
        return list(written)
    left, paired = list(written), []
    for rows in declared:
        found = next((w for w in left if text_key(w) == pragma_key(rows)), None)
        if found is not None:
            left.remove(found)
        paired.append(found)
    return paired


def foreign_key_name(table: str, columns: tuple[str, ...]) -> str:
    """The name an unnamed foreign key is read under: ``fk_<table>_<column>[_<column>…]``."""
    return f"fk_{table}_{'_'.join(columns)}"


def check_name(table: str, expression: str) -> str:
    """The name an unnamed CHECK is read under: ``ck_<table>_<8 hex digits of the SHA-1 of
    its normalised expression>``."""
    return f"ck_{table}_{hashlib.sha1(expression.encode()).hexdigest()[:8]}"


def foreign_keys_of(fk_rows: list[tuple], parsed: dict[str, TableText],
                    primary: dict[str, list[str]],
                    warnings: list[str]) -> dict[str, tuple[ForeignKey, ...]]:
    """Every child table's foreign keys (sorted by name) from pragma_foreign_key_list rows,
    named and deferred as the CREATE TABLE text says; a key naming no parent columns gets
    the parent's PRIMARY KEY columns (``primary``, by folded parent name)."""
    grouped: dict[str, dict[int, list[tuple]]] = {}
    for row in fk_rows:
        grouped.setdefault(row[0], {}).setdefault(row[1], []).append(row)
    found: dict[str, tuple[ForeignKey, ...]] = {}
    for child, keys in grouped.items():
        declared = [sorted(keys[i], key=lambda r: r[5]) for i in sorted(keys, reverse=True)]
        text = parsed.get(child)
        written = _written_keys(declared, text.foreign_keys if text is not None else [])
        if any(w is None for w in written):
            warnings.append(f"table {child}: a foreign key's name and DEFERRABLE could not be "
                            "read from its CREATE TABLE text (read as unnamed, not deferred)")
        unnamed = []
        for rows, text_key in zip(declared, written, strict=True):
            parent = rows[0][2]
            targets = [r[4] for r in rows]
            references = (tuple(primary.get(fold(parent), ())) if None in targets
                          else tuple(targets))
            deferred = text_key is not None and text_key.deferred
            unnamed.append(ForeignKey(
                table=child, name="", columns=tuple(r[3] for r in rows), ref_table=parent,
                ref_columns=references, on_update=rows[0][6].upper(),
                on_delete=rows[0][7].upper(), match="SIMPLE",
                deferrable="DEFERRED" if deferred else None))
        names = _unique_names([w.name if w is not None else None for w in written],
                              [foreign_key_name(child, k.columns) for k in unnamed],
                              [repr(k.shape_key()) for k in unnamed])
        keyed = [replace(k, name=name) for k, name in zip(unnamed, names, strict=True)]
        found[child] = tuple(sorted(keyed, key=lambda k: k.name_key))
    return found


def checks_of(table: str, text: TableText) -> dict[str, CheckConstraint]:
    """A table's CHECK constraints by name key (sorted), expressions normalised; an
    unnamed check is ``ck_<table>_<8 hex digits of its normalised expression's SHA-1>``."""
    rowid = not text.without_rowid
    expressions = [normalize_check(tokens, text.columns, rowid=rowid)
                   for _, tokens, _ in text.checks]
    synthesized = [check_name(table, e) for e in expressions]
    names = _unique_names([name for name, _, _ in text.checks], synthesized, expressions)
    found = sorted((CheckConstraint(table, name, expression)
                    for name, expression in zip(names, expressions, strict=True)),
                   key=lambda c: c.name_key)
    return {c.name_key: c for c in found}


def read_url(spec: str, url, env: str, *, detail: bool, columns: bool,
             objects: frozenset[str] = frozenset()) -> Snapshot:
    """The registry's reader (dialects.Dialect.reader): ``sqlite:///path.db``, whole, with
    the ``objects`` asked for."""
    try:
        path = path_from_url(spec)
    except ValueError as exc:
        raise SourceError(env, str(exc)) from None
    return read_sqlite(path, display=spec, objects=objects, columns=columns, env=env)
