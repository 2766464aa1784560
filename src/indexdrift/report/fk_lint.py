"""Foreign keys without an index serving them: a lint advisory, with the index to add.

A foreign key is checked from both ends: a join on it, and every delete (or key update)
of a parent row, look up the child rows by the key's columns. PostgreSQL and SQLite create
no index for that (InnoDB does, so on MySQL and MariaDB this rarely fires, but a snapshot
can show it), and without one each lookup scans the child table.

An index of the child table *serves* a foreign key when the key's columns are a leftmost
prefix of it, in the key's order, and the server can use it for the lookup:

- BTREE by left prefix; HASH only with exactly the key's columns (an equality lookup on
  the whole key); other types (GIN, GiST, FULLTEXT, SPATIAL...) never;
- each of those key parts is the plain column: no expression, no prefix length (MySQL
  ``SUB_PART``), no collation other than the column's own (PostgreSQL names a part's
  collation only where it differs from the column's; the planner then cannot use it);
  DESC and NULLS order do not matter for an equality lookup;
- the index is whole (no partial-index ``WHERE``), valid (PostgreSQL: a failed
  ``CREATE INDEX CONCURRENTLY`` leaves an invalid one) and visible to the optimizer
  (MySQL ``INVISIBLE``, MariaDB ``IGNORED``);
- on SQLite a one-column key on the table's ``INTEGER PRIMARY KEY`` (the rowid's alias,
  which has no index row) is served by the rowid itself. Without the table's columns
  (``Table.columns``) that cannot be told from a table whose primary key is the rowid:
  such a key is then not judged (``not_judged``), never reported on a guess.

Only snapshots that read foreign keys completely (``Snapshot.objects`` holds
``foreign_keys``) are judged: a snapshot without them says nothing about their indexes.
Keys of one table that one index serves share one advisory (``(a)`` and ``(a, b)``: one
index on ``(a, b)``). The statement is the one ``migrate`` would write for the index, on the
env's own server (CONCURRENTLY on PostgreSQL, ``ALGORITHM=INPLACE, LOCK=NONE`` on InnoDB),
every name quoted by the dialect; none is suggested when a name holds a line break (a
statement meant to be pasted must not break where a client reads a command) or the
server is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexdrift.core import registry as dialects
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Catalog
from indexdrift.core.target import Target, parse_target, target_of
from indexdrift.ddl.linecheck import LINE_BREAKS
from indexdrift.model.tables import (
    Column,
    ForeignKey,
    Index,
    KeyPart,
    Snapshot,
    Table,
    fold_name,
)

UNINDEXED_FK = "unindexed_foreign_key"
# Larger than any table: the suggestion is never commented out as "too large to run" (the
# advisory is a suggestion to review, not a migration).
_NO_LIMIT = 1 << 62


@dataclass(frozen=True, slots=True)
class ForeignKeyAdvisory:
    """``foreign_keys`` of ``table`` have no index serving them; ``index`` would serve
    them all, created by ``statement`` (None when none is suggested, ``why_none`` says
    why: a message key)."""

    table: str
    foreign_keys: tuple[ForeignKey, ...]
    index: Index
    statement: str | None
    why_none: str | None = None
    kind: str = UNINDEXED_FK
    covered_by: Index | None = None  # nothing covers it (the redundant advisories' field)


def _column(table: Table, name: str, exact: bool) -> Column | None:
    if table.columns is None:
        return None
    return next((c for c in table.columns.values() if fold_name(c.name, exact)
                 == fold_name(name, exact)), None)


def _part_serves(part: KeyPart, column: str, table: Table, exact: bool) -> bool:
    """The key part is the plain column, usable for an equality lookup on it."""
    if part.column is None or part.expression is not None or part.sub_part is not None:
        return False
    if part.column_key != fold_name(column, part.exact_column or exact):
        return False
    if part.collation is None:
        return True
    # A collation of its own serves only when it is the column's (SQLite names every
    # non-BINARY one; PostgreSQL only one that differs from the column's).
    found = _column(table, column, exact)
    return (found is not None and found.collation is not None
            and found.collation.upper() == part.collation.upper())


def serves(index: Index, fk: ForeignKey, table: Table) -> bool:
    """True when ``index`` serves the lookups of ``fk``'s child rows (the rules above)."""
    if not index.valid or index.predicate is not None or not index.visible:
        return False
    size = len(fk.columns)
    if index.index_type == "BTREE":
        if len(index.parts) < size:
            return False
    elif index.index_type != "HASH" or len(index.parts) != size:
        return False
    return all(_part_serves(part, column, table, fk.exact_name)
               for part, column in zip(index.parts, fk.columns, strict=False))


def _rowid_dialect(snapshot: Snapshot) -> bool:
    found = dialects.of_flavor(snapshot.flavor)
    return found is not None and found.auto_increment_is_rowid


def _judged(fk: ForeignKey, table: Table, rowid: bool) -> bool | None:
    """None when the key is served by the rowid (SQLite); False when that cannot be told
    (the table's columns were not read); True when its indexes decide."""
    if not rowid or len(fk.columns) != 1:
        return True
    if table.columns is None:
        # A rowid table's INTEGER PRIMARY KEY has no index row: no primary index then.
        return True if any(ix.primary for ix in table.indexes.values()) else False
    column = _column(table, fk.columns[0], fk.exact_name)
    return None if column is not None and column.auto_increment else True


def _index_name(table: str, columns: tuple[str, ...], taken: set[str], exact: bool,
                max_bytes: int) -> str:
    """``<table>_<col>..._idx`` (PostgreSQL's own naming), cut to the server's limit and
    numbered when the name is taken (PostgreSQL index names are per schema)."""
    base = "_".join((table, *columns))
    for number in range(0, 10_000):
        suffix = "_idx" + (str(number) if number else "")
        head = base.encode()[:max_bytes - len(suffix)].decode("utf-8", "ignore")
        name = head + suffix
        if fold_name(name, exact) not in taken:
            return name
    raise AssertionError("ten thousand index names taken")  # pragma: no cover


def _target(snapshot: Snapshot) -> Target | None:
    """The env's own server (its flavor and version), None when not known."""
    try:
        return target_of(snapshot.flavor, snapshot.version)
    except IndexDriftError:
        # A version text no target reads (a hand-written snapshot): the flavor's default.
        return parse_target(snapshot.flavor) if snapshot.flavor else None


def _statement(snapshot: Snapshot, table: Table, index: Index) -> tuple[str | None, str | None]:
    """(the CREATE INDEX ``migrate`` would write for ``index``, why there is none)."""
    names = (table.name, snapshot.schema or "", *(p.column or "" for p in index.parts))
    if any(c in LINE_BREAKS for name in names for c in name):
        return None, "lint.fk_no_statement_line_break"
    target = _target(snapshot)
    if target is None or target.dialect is None:
        return None, "lint.fk_no_statement_flavor"
    # lazy: the planner and the DDL load only when a foreign key lacks an index (every
    # compare lints; most never get here: start-up time)
    from indexdrift.ddl.script import dialect_for
    from indexdrift.plan.ops import AddIndex, Step, TablePlan

    plan = TablePlan(table.name, engine=table.engine,
                     has_hash=any(ix.index_type == "HASH" for ix in table.indexes.values()))
    statements = dialect_for(target.flavor).table_statements(
        plan, [Step([AddIndex(index)], "missing", index.name)], target, online=True,
        schema=snapshot.schema, large_table_bytes=_NO_LIMIT, prechecks=False)
    sql = "\n".join(s.sql for s in statements if s.executable)
    return (sql, None) if sql else (None, "lint.fk_no_statement_flavor")


def _taken_names(snapshot: Snapshot, exact: bool) -> set[str]:
    """Index and table names of the snapshot, as the flavor compares them."""
    taken = {fold_name(name, exact) for name in snapshot.tables}
    taken.update(fold_name(ix.name, exact) for t in snapshot.tables.values()
                 for ix in t.indexes.values())
    return taken


@dataclass(slots=True)
class FkLint:
    """The advisories of one snapshot and how many keys could not be judged."""

    advisories: list[ForeignKeyAdvisory]
    not_judged: int = 0


def lint_foreign_keys(snapshot: Snapshot) -> FkLint:
    """Foreign keys without an index serving them, per table in table order (nothing
    when the snapshot did not read its foreign keys)."""
    out = FkLint([])
    if "foreign_keys" not in snapshot.objects:
        return out
    rowid = _rowid_dialect(snapshot)
    exact = dialects.names_case_sensitive(snapshot.flavor)
    max_bytes = 63 if exact else 64
    taken = _taken_names(snapshot, exact)
    for name in sorted(snapshot.tables, key=lambda n: (n.lower(), n)):
        table = snapshot.tables[name]
        unserved: list[ForeignKey] = []
        for fk in table.foreign_keys:
            if not fk.columns:
                continue
            if any(serves(ix, fk, table) for ix in table.indexes.values()):
                continue
            judged = _judged(fk, table, rowid)
            if judged is None:
                continue  # the rowid serves it
            if judged:
                unserved.append(fk)
            else:
                out.not_judged += 1
        out.advisories.extend(_table_advisories(snapshot, table, unserved, taken, max_bytes))
    return out


def _table_advisories(snapshot: Snapshot, table: Table, unserved: list[ForeignKey],
                      taken: set[str], max_bytes: int) -> list[ForeignKeyAdvisory]:
    """One advisory per index to add: the widest key first, then each key it serves."""
    groups: list[tuple[Index, list[ForeignKey]]] = []
    for fk in sorted(unserved, key=lambda k: (-len(k.columns), k.name_key)):
        for index, fks in groups:
            if serves(index, fk, table):
                fks.append(fk)
                break
        else:
            exact = fk.exact_name
            name = _index_name(table.name, fk.columns, taken, exact, max_bytes)
            taken.add(fold_name(name, exact))
            parts = tuple(KeyPart(c, exact_column=exact) for c in fk.columns)
            groups.append((Index(table.name, name, parts, exact_name=exact), [fk]))
    out = []
    for index, fks in groups:
        statement, why = _statement(snapshot, table, index)
        ordered = tuple(sorted(fks, key=lambda k: k.name_key))
        out.append(ForeignKeyAdvisory(table.name, ordered, index, statement, why))
    return sorted(out, key=lambda a: a.foreign_keys[0].name_key)


def _parents(advisory: ForeignKeyAdvisory) -> str:
    names: list[str] = []
    for fk in advisory.foreign_keys:
        parent = f"{fk.ref_schema}.{fk.ref_table}" if fk.ref_schema else (fk.ref_table or "?")
        if parent not in names:
            names.append(parent)
    return ", ".join(names)


def fk_advisory_text(advisory: ForeignKeyAdvisory, catalog: Catalog) -> str:
    """One line: the keys, why a missing index costs, and the statement that adds one."""
    text = catalog.t("lint.unindexed_fk", table=advisory.table,
                     fks=", ".join(fk.name for fk in advisory.foreign_keys),
                     columns=", ".join(advisory.foreign_keys[0].columns),
                     parent=_parents(advisory))
    if advisory.statement is not None:
        return text + catalog.t("lint.fk_statement", statement=advisory.statement)
    return text + catalog.t(advisory.why_none or "lint.fk_no_statement_flavor")


def fk_advisory_json(advisory: ForeignKeyAdvisory) -> dict:
    """The advisory as JSON-ready data (``covered_by`` null: nothing covers it)."""
    return {"table": advisory.table, "kind": advisory.kind, "index": advisory.index.name,
            "definition": advisory.index.definition(), "covered_by": None,
            "foreign_keys": [fk.name for fk in advisory.foreign_keys],
            "columns": list(advisory.foreign_keys[0].columns),
            "statement": advisory.statement}
