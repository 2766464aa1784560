"""SQLite table rebuilds (plan/rebuild.RebuildTable) as statements: the documented
procedure of https://www.sqlite.org/lang_altertable.html ("Making Other Kinds Of Table
Schema Changes"), inside the script's one transaction:

1. ``CREATE TABLE "_indexdrift_new_<t>"``: the new definition under a temporary name, as
   stored in ``sqlite_schema`` (a rollback's: the env's; the migration's: the baseline's
   when it is a SQLite file and the new table is its table as it is), else from the
   model (``table_ddl.create_table_sql``). Its foreign keys on itself name ``<t>``, what
   they must name after the rename;
2. ``INSERT INTO … (columns) SELECT … FROM "<t>"``: the columns both have (a renamed one
   under its old name), generated ones left to SQLite; the rowid too when neither table
   has a column for it (what an FTS index or an application may hold); an
   AUTOINCREMENT table keeps its
   ``sqlite_sequence`` value (ids of deleted rows are not given again);
3. ``DROP VIEW`` / ``DROP TRIGGER`` of every view and trigger that names the table (or a
   view so dropped), anywhere in the schema: the rename below checks the whole schema
   and fails on one that names a table that is gone ("error in view v: no such table");
4. ``DROP TABLE "<t>"`` (its own triggers and indexes go with it);
5. ``ALTER TABLE "_indexdrift_new_<t>" RENAME TO "<t>"``: the new table's
   ``sqlite_autoindex_*`` follow it. Other tables' foreign keys name ``<t>`` and are not
   rewritten (they name neither the temporary table nor, with ``legacy_alter_table``
   either way, anything renamed), so they hold again once it has its name;
6. the indexes, then the views and triggers exactly as the env stored them, in its order.

Around the transaction ``script_frame`` puts ``PRAGMA foreign_keys = OFF`` (a no-op
inside one, so the script sets it before ``BEGIN``: with keys on, ``DROP TABLE`` would
run the children's ``ON DELETE`` actions) and, before ``COMMIT``, a foreign-key check of
each rebuilt table and its children that rolls everything back when a row breaks a key.
Plain SQL cannot read the setting before it and restore it; the script ends with
``PRAGMA foreign_keys = ON`` (the setting is the connection's own: the enforcement an
application turns on per connection, never weaker than before).
"""

from __future__ import annotations

import re

from indexdrift.ddl.statement import Statement
from indexdrift.dialects.sqlite.catalog import statement_text
from indexdrift.dialects.sqlite.quoting import create_index_sql, quote_ident
from indexdrift.dialects.sqlite.table_ddl import create_table_sql
from indexdrift.model.tables import SchemaObject, Table
from indexdrift.plan.notes import Note
from indexdrift.plan.rebuild import RebuildTable

TEMP_PREFIX = "_indexdrift_new_"
CHECK_TABLE = '"_indexdrift_foreign_key_check"'

# A token of SQLite text: a string, a quoted or bare identifier, a comment, any character.
_TOKEN = re.compile(r"""'(?:[^']|'')*'|"((?:[^"]|"")*)"|\[([^\]]*)\]|`((?:[^`]|``)*)`"""
                    r"""|--[^\n]*|/\*.*?(?:\*/|\Z)|([^\W\d][\w$]*)|.""", re.S)
# CREATE TABLE up to its name, then the name (quoted any way, or bare) and ``(``.
_CREATE_HEAD = re.compile(
    r"""\s*CREATE\s+TABLE\s+("(?:[^"]|"")*"|\[[^\]]*\]|`(?:[^`]|``)*`|'(?:[^']|'')*'"""
    r"""|[^\W\d][\w$]*)\s*\(""", re.I)


def names_in(sql: str) -> set[str]:
    """The identifiers ``sql`` names (lower case), strings and comments left out."""
    found: set[str] = set()
    for match in _TOKEN.finditer(sql):
        quoted, bracketed, ticked, bare = match.groups()
        name = (quoted.replace('""', '"') if quoted is not None else bracketed
                if bracketed is not None else ticked.replace("``", "`")
                if ticked is not None else bare)
        if name is not None:
            found.add(name.lower())
    return found


def dependents(schema: tuple[SchemaObject, ...], table: str) -> list[SchemaObject]:
    """The triggers and views that name ``table``, or a view among them, in the order
    SQLite keeps them (a trigger of the table itself always)."""
    names = {table.lower()}
    # each text read once; then passes until no view adds a name
    left = [(obj, names_in(obj.sql)) for obj in schema if obj.kind in ("trigger", "view")]
    chosen: set[int] = set()
    changed = True
    while changed:
        changed = False
        for n, (obj, named) in enumerate(left):
            if n not in chosen and (obj.table.lower() in names or named & names):
                chosen.add(n)
                names.add(obj.name.lower())
                changed = True
    picked = {id(left[n][0]) for n in chosen}
    return [obj for obj in schema if id(obj) in picked]


def temporary_name(table: str, schema: tuple[SchemaObject, ...]) -> str:
    """``_indexdrift_new_<table>``, with a number when the schema has that name."""
    taken = {obj.name.lower() for obj in schema}
    name, n = f"{TEMP_PREFIX}{table}", 1
    while name.lower() in taken:
        n += 1
        name = f"{TEMP_PREFIX}{table}_{n}"
    return name


def renamed_create(sql: str, name: str) -> str | None:
    """``sql`` (a CREATE TABLE text) creating the table ``name`` instead; None when its
    head is not the plain ``CREATE TABLE <name> (`` form."""
    found = _CREATE_HEAD.match(sql)
    if found is None:
        return None
    return sql[:found.start(1)] + quote_ident(name) + sql[found.end(1):]


def _definition(op: RebuildTable, temp: str) -> tuple[str, list[str]]:
    """The CREATE TABLE of the new table under ``temp`` and its indexes' statements:
    the stored texts ``op.target_texts`` has, the model's DDL for the rest."""
    key = op.target.name.lower()
    create = next((o.sql for o in op.target_texts
                   if o.kind == "table" and o.name.lower() == key), None)
    text = renamed_create(create, temp) if create else None
    if text is None:
        text = renamed_create(create_table_sql(op.target).removesuffix(";"), temp)
        assert text is not None  # create_table_sql writes the plain head
    text = _stored(SchemaObject("table", temp, temp, text))
    stored = {o.name.lower(): _stored(o) for o in op.target_texts if o.kind == "index"}
    indexes = [stored[ix.name.lower()] if ix.name.lower() in stored
               else create_index_sql(ix) for ix in op.target.indexes.values()
               if ix.constraint not in ("p", "u") and not ix.primary]
    return text, indexes


def _stored(obj: SchemaObject) -> str:
    """A stored definition as a statement (the planner never rebuilds with one that is
    not exactly one: plan/rebuild.py)."""
    text = statement_text(obj.sql)
    if text is None:
        raise ValueError(f"the stored definition of {obj.name} is not one statement")
    return text


def _notes(op: RebuildTable, undo: bool) -> list[str]:
    table = op.target.name
    notes: list[str] = [Note("migrate.rebuild.procedure", table=table)]
    copied_old = {old.lower() for old, _ in op.column_map}
    copied_new = {new.lower() for _, new in op.column_map}
    lost = [c.name for c in sorted((op.current.columns or {}).values(),
                                   key=lambda c: c.position)
            if c.name.lower() not in copied_old and not c.generated]
    empty = [c.name for c in sorted((op.target.columns or {}).values(),
                                    key=lambda c: c.position)
             if c.name.lower() not in copied_new and not c.generated]
    if lost:
        notes.append(Note("migrate.rebuild.lost", table=table, columns=", ".join(lost)))
    if empty:
        key = "migrate.rebuild.not_restored" if undo else "migrate.rebuild.new_columns"
        notes.append(Note(key, table=table, columns=", ".join(empty)))
    return notes


def rebuild_statements(op: RebuildTable, *, undo: bool = False) -> list[Statement]:
    """The statements of one rebuild, in order (see the module); the first carries the
    tables whose foreign keys the script checks before it commits."""
    table = op.target.name
    temp = temporary_name(table, op.schema)
    create, indexes = _definition(op, temp)
    out = [Statement(create, table, _notes(op, undo), check_foreign_keys=op.checked)]
    if op.column_map:
        into = ", ".join(quote_ident(new) for _, new in op.column_map)
        source = ", ".join(quote_ident(old) for old, _ in op.column_map)
        keys = (_rowid_name(op.target), _rowid_name(op.current))
        if keys[0] is not None and keys[1] is not None:
            into, source = f"{keys[0]}, {into}", f"{keys[1]}, {source}"
        out.append(Statement(f"INSERT INTO {quote_ident(temp)} ({into}) SELECT {source} "
                             f"FROM {quote_ident(op.current.name)};", table))
    out += _sequence(op, temp)
    around = dependents(op.schema, op.current.name)
    for obj in reversed(around):
        word = "VIEW" if obj.kind == "view" else "TRIGGER"
        out.append(Statement(f"DROP {word} {quote_ident(obj.name)};", table))
    out.append(Statement(f"DROP TABLE {quote_ident(op.current.name)};", table))
    out.append(Statement(f"ALTER TABLE {quote_ident(temp)} RENAME TO {quote_ident(table)};",
                         table))
    out += [Statement(sql, table) for sql in indexes]
    out += [Statement(_stored(obj), table) for obj in around]
    return out


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _rowid_name(table: Table) -> str | None:
    """How to name the rowid of a rowid table that has no column for it (none of its
    columns is the rowid's alias): ``rowid``, or ``_rowid_`` / ``oid`` when a column has
    that name; None for a WITHOUT ROWID table, one whose alias is a column (copied as a
    column), or one with columns of all three names."""
    columns = (table.columns or {}).values()
    if (table.options or {}).get("without_rowid") == "1" or any(c.auto_increment
                                                                  for c in columns):
        return None
    taken = {c.name.lower() for c in columns}
    return next((n for n in ("rowid", "_rowid_", "oid") if n not in taken), None)


def _autoincrement(table: Table) -> bool:
    return any(c.identity == "AUTOINCREMENT" for c in (table.columns or {}).values())


def _sequence(op: RebuildTable, temp: str) -> list[Statement]:
    """An AUTOINCREMENT table's ``sqlite_sequence`` value carried to the new table: the
    copy sets it to the largest rowid copied, which is lower than the old one once the
    latest rows were deleted, and their ids would be given again (what AUTOINCREMENT
    promises never happens). The rename then carries it to the table's name."""
    if not (_autoincrement(op.current) and _autoincrement(op.target)):
        return []
    old, new = _literal(op.current.name), _literal(temp)
    return [Statement(f"INSERT INTO sqlite_sequence (name, seq) SELECT {new}, seq FROM "
                      f"sqlite_sequence WHERE name = {old} AND NOT EXISTS (SELECT 1 FROM "
                      f"sqlite_sequence WHERE name = {new});", op.target.name),
            Statement(f"UPDATE sqlite_sequence SET seq = (SELECT max(seq) FROM sqlite_sequence "
                      f"WHERE name IN ({old}, {new})) WHERE name = {new};", op.target.name)]


def script_frame(tables: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(before BEGIN, before COMMIT, after COMMIT) lines of a script that rebuilds
    ``tables`` (their foreign keys, and their children's, are checked): SQL, and Notes
    that the script writes as its comment lines."""
    checked = list(dict.fromkeys(tables))
    check: list[str] = [Note("migrate.rebuild.check"),
             f"CREATE TEMP TABLE {CHECK_TABLE} (\"violations\" INTEGER "
             "CHECK (\"violations\" = 0));"]
    check += [f"INSERT OR ROLLBACK INTO temp.{CHECK_TABLE} SELECT count(*) FROM "
              f"pragma_foreign_key_check({_literal(name)});" for name in checked]
    check.append(f"DROP TABLE temp.{CHECK_TABLE};")
    return ([Note("migrate.rebuild.keys_off"), "PRAGMA foreign_keys = OFF;"], check,
            [Note("migrate.rebuild.keys_on"), "PRAGMA foreign_keys = ON;"])
