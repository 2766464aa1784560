"""Duplicate and redundant indexes within one environment, by strict rules.

An index is *redundant* to another (its *cover*) when every lookup it serves is served
by the cover as well, so dropping it loses nothing but write cost:

- the primary key is never redundant;
- both have the same index type; only BTREE indexes cover by left prefix (a FULLTEXT,
  SPATIAL or HASH index, composite FULLTEXT included, is covered only by an identical one);
- each key part of the index equals the cover's part at the same position: the column,
  the prefix length and DESC (and, on PostgreSQL, expression, operator class, collation
  and NULLS order) must all match;
- a UNIQUE index is redundant only to an identical UNIQUE index or to the primary key
  with the same parts: a wider unique index does not enforce the narrower constraint;
- a visible index is never redundant to an invisible (ignored) one;
- partial indexes (PostgreSQL) need the same predicate; INCLUDE columns the same;
- column names compare by the flavor's rule (``KeyPart.column_key``,
  ``Index.include_key``): case-insensitive on MySQL, MariaDB and SQLite, as written on
  PostgreSQL, where ``"Name"`` and ``name`` are two columns;
- an index a foreign key needs is kept unless the cover serves that foreign key too.

Two identical indexes cover each other; only one of them is reported: the primary key,
a unique index, a visible index and then the alphabetically first name are kept.

When the snapshot read its foreign keys, a key without an index serving it is an advisory
too, with the index to add (``report/fk_lint.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from indexdrift.core.i18n import Catalog
from indexdrift.model.tables import ForeignKey, Index, KeyPart, Snapshot, Table
from indexdrift.plan.fk_serving import supports_foreign_key

# report/fk_lint.py loads only when foreign keys are linted (start-up time): an advisory
# that is no Advisory is one of its ForeignKeyAdvisory.
if TYPE_CHECKING:
    from indexdrift.report.fk_lint import ForeignKeyAdvisory

DUPLICATE = "duplicate"
REDUNDANT = "redundant"


@dataclass(frozen=True, slots=True)
class Advisory:
    """``index`` of ``table`` can be dropped: ``covered_by`` serves every lookup it serves."""

    table: str
    index: Index
    covered_by: Index
    kind: str  # duplicate (identical shape) or redundant (covered by prefix / by the PK)
    foreign_keys: tuple[str, ...] = ()  # FKs the index serves; the cover serves them too


def _same_extras(index: Index, cover: Index) -> bool:
    return (index.index_type == cover.index_type
            and index.predicate == cover.predicate
            and index.nulls_not_distinct == cover.nulls_not_distinct
            # INCLUDE names by the flavor's case rule (PostgreSQL keeps case): only
            # built when there are any, so MySQL-family indexes pay nothing.
            and (index.include_key() == cover.include_key()
                 if index.include or cover.include else True)
            and index.parser == cover.parser
            and index.valid and cover.valid
            and index.constraint != "x" and cover.constraint != "x")


def _parts_equal(a: Index, b: Index) -> bool:
    return len(a.parts) == len(b.parts) and all(
        p.key() == q.key() for p, q in zip(a.parts, b.parts, strict=True))


def covers(cover: Index, index: Index) -> bool:
    """True when ``cover`` serves every lookup ``index`` serves (the strict rules above)."""
    if cover is index or index.primary or not index.parts or not cover.parts:
        return False
    # Every rule below needs equal leading key parts: reject cheaply first (lint runs on
    # every pair of indexes of a table, tens of thousands of tables per env).
    first, other = index.parts[0], cover.parts[0]
    if first is not other and first.key() != other.key():
        return False
    if not _same_extras(index, cover):
        return False
    if index.visible and not cover.visible:
        return False
    if index.unique:
        return (cover.unique or cover.primary) and _parts_equal(index, cover)
    if index.index_type != "BTREE":
        return _parts_equal(index, cover)
    if len(index.parts) > len(cover.parts):
        return False
    return all(p.key() == q.key() for p, q in zip(index.parts, cover.parts, strict=False))


def _keep_rank(index: Index) -> tuple:
    """Which of two identical indexes stays: smaller sorts first and is kept."""
    return (not index.primary, not index.unique, not index.visible, index.name_key)


def _fks_served(index: Index, fks: tuple[ForeignKey, ...]) -> list[ForeignKey]:
    return [fk for fk in fks if supports_foreign_key(index, fk)]


def lint_table(table: Table) -> list[Advisory]:
    """Advisories for one table, in index-name order."""
    indexes = sorted(table.indexes.values(), key=lambda ix: ix.name_key)
    flagged: dict[str, list[Index]] = {}
    # A cover must share the leading key part, so only indexes with the same one are
    # candidates: grouping keeps lint linear in practice instead of all pairs.
    by_first: dict[tuple, list[Index]] = {}
    for ix in indexes:
        if ix.parts:
            by_first.setdefault(ix.parts[0].key(), []).append(ix)
    for index in indexes:
        found = []
        group = by_first.get(index.parts[0].key(), []) if index.parts else []
        if len(group) < 2:
            continue
        for cover in group:
            if not covers(cover, index):
                continue
            # Identical indexes cover each other: report only the one ranked lower.
            if covers(index, cover) and _keep_rank(index) < _keep_rank(cover):
                continue
            needed = _fks_served(index, table.foreign_keys)
            if any(not supports_foreign_key(cover, fk) for fk in needed):
                continue  # the cover cannot take over a foreign key this index serves
            found.append(cover)
        if found:
            flagged[index.name_key] = found
    advisories: list[Advisory] = []
    for index in indexes:
        candidates = flagged.get(index.name_key)
        if not candidates:
            continue
        # Name a cover that is itself kept; prefer the identical one, then the narrowest.
        kept = [c for c in candidates if c.name_key not in flagged] or candidates
        cover = min(kept, key=lambda c: (not _parts_equal(index, c), len(c.parts),
                                         _keep_rank(c)))
        kind = DUPLICATE if _parts_equal(index, cover) and index.unique == cover.unique \
            and not cover.primary else REDUNDANT
        fks = tuple(fk.name for fk in _fks_served(index, table.foreign_keys))
        advisories.append(Advisory(table.name, index, cover, kind, fks))
    return advisories


def _may_have_advisory(table: Table, keys: dict[int, tuple[tuple, KeyPart]]) -> bool:
    """True when two indexes of ``table`` share their leading key part, which every
    duplicate or redundant advisory needs (``covers``): most tables have none and skip
    lint_table. ``keys`` memoizes ``KeyPart.key()`` by object: the readers share key
    parts between tables, so a schema has few distinct ones."""
    seen: set[tuple] = set()
    for index in table.indexes.values():
        if not index.parts:
            continue
        part = index.parts[0]
        key = keys.get(id(part))
        if key is None:
            # The memo holds the part too, so its id cannot be reused by another object.
            key = keys[id(part)] = (part.key(), part)
        if key[0] in seen:
            return True
        seen.add(key[0])
    return False


class BoundedMemo(dict):
    """A ``lint_snapshot`` memo for a run that reads many envs one after another (a
    fleet): it holds the tables it has linted (so their ids stay theirs), which a fleet
    must not keep for every target, so past ``limit`` entries it starts again, all at once
    (no entry can outlive the table its id names)."""

    __slots__ = ("limit",)

    def __init__(self, limit: int = 1 << 13) -> None:
        super().__init__()
        self.limit = limit

    def __setitem__(self, key, value) -> None:
        if len(self) >= self.limit:
            self.clear()
        super().__setitem__(key, value)


def lint_snapshot(snapshot: Snapshot, *, foreign_keys: bool = False,
                  memo: dict | None = None
                  ) -> list[Advisory | ForeignKeyAdvisory]:
    """Advisories for every table of one environment, in table order: its indexes that
    can be dropped, then (``foreign_keys``: asked for, and the snapshot read them) its
    foreign keys without an index.

    ``memo``: one dict for the envs of a run. A table object that several envs share (a
    reader's share: sources/tableshare.py) is linted once; its advisories name nothing
    but the table and its indexes, so they are the same in every env. So is a table of
    another env with the same name, no foreign key and the very same Index objects in the
    same order (a live reader builds an index once for every env of a run: the
    PostgreSQL reader's ``_index`` cache): lint_table reads nothing else.
    """
    # Only tables with an advisory are kept and sorted (most have none).
    by_table: dict[str, list[Advisory | ForeignKeyAdvisory]] = {}
    first_keys: dict[int, tuple[tuple, KeyPart]] = {}
    if memo is None:
        memo = {}
    for name, table in snapshot.tables.items():
        if len(table.indexes) < 2:
            continue
        # The memo holds the table too, so its id cannot be reused by another object
        # (nor the ids of its indexes, which a shape key names).
        known = memo.get(id(table))
        if known is None:
            shape = (None if table.foreign_keys else
                     (table.name, *map(id, table.indexes.values())))
            same = memo.get(shape) if shape is not None else None
            found = (same[1] if same is not None else
                     lint_table(table) if _may_have_advisory(table, first_keys) else [])
            known = memo[id(table)] = (table, found)
            if shape is not None and same is None:
                memo[shape] = known
        if known[1]:
            by_table[name] = list(known[1])
    if foreign_keys:
        from indexdrift.report.fk_lint import lint_foreign_keys

        for advisory in lint_foreign_keys(snapshot).advisories:
            by_table.setdefault(advisory.table, []).append(advisory)
    return [a for name in sorted(by_table, key=lambda n: (n.lower(), n)) for a in by_table[name]]


def advisory_text(advisory: Advisory | ForeignKeyAdvisory, catalog: Catalog) -> str:
    """One line naming the index, what covers it and any foreign key it serves (or the
    foreign keys without an index, and the statement that adds one)."""
    if not isinstance(advisory, Advisory):
        from indexdrift.report.fk_lint import fk_advisory_text

        return fk_advisory_text(advisory, catalog)
    text = catalog.t(f"lint.{advisory.kind}", table=advisory.table, index=advisory.index.name,
                     definition=advisory.index.definition(), cover=advisory.covered_by.name,
                     cover_definition=advisory.covered_by.definition())
    if advisory.foreign_keys:
        text += catalog.t("lint.fk_served", fks=", ".join(advisory.foreign_keys),
                          cover=advisory.covered_by.name)
    return text


def advisory_json(advisory: Advisory | ForeignKeyAdvisory) -> dict:
    """The advisory as JSON-ready data."""
    if not isinstance(advisory, Advisory):
        from indexdrift.report.fk_lint import fk_advisory_json

        return fk_advisory_json(advisory)
    return {"table": advisory.table, "index": advisory.index.name,
            "definition": advisory.index.definition(), "kind": advisory.kind,
            "covered_by": advisory.covered_by.name,
            "covered_by_definition": advisory.covered_by.definition(),
            "foreign_keys": list(advisory.foreign_keys)}
