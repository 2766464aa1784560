"""Indexes built once per distinct catalog rows: most tables are the same in every env.

An index's key-part rows (the catalog query's ``I`` rows, table name included) decide its
Index entirely, and Index is immutable. So the Index built from one env's rows serves every
other env whose rows are the same, value for value: those rows skip StatRow, validation
and building (rows that fail validation raise and are never kept), and compare then sees
the very same object on both sides. The memo is bounded; an env whose indexes are new
simply builds them.

Whole tables first: a table's ``I`` rows, in the server's order, decide all its indexes
and their order, so a table whose rows are those another env gave gets the same indexes
in a dict of its own (tables stay per snapshot: ignore rules delete from them) without
even grouping its rows per index. Only the tables that differ go index by index.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock

from indexdrift.dialects.mysql.statistics import StatisticsBuilder
from indexdrift.model.tables import Index, Snapshot

# About the indexes of one 15,000-table env; past it the memo starts again (a fleet's
# baseline is read first, so its indexes are the ones kept).
MAX_KEPT = 1 << 16
_kept: dict[tuple, Index] = {}
# Tables: (table, its I rows as tuples, in server order) -> its (name_key, Index) pairs.
MAX_TABLES = 1 << 15
_tables: dict[tuple, tuple[tuple[str, Index], ...]] = {}
_lock = Lock()


def _seq(row) -> int:
    return int(row[4])


def add_indexes(snapshot: Snapshot, builder: StatisticsBuilder,
                buckets: dict[tuple[str, str], list], stat_row: Callable) -> None:
    """Give ``snapshot`` the indexes of ``buckets`` (``(table, lower-cased index name)``
    -> its raw ``I`` rows, in first-seen order): a kept Index where the same rows were seen
    before, else built by ``builder`` from ``stat_row(row)``. Each table keeps its indexes
    in bucket order, as when every index is built."""
    built: list[tuple[tuple, tuple[str, str]]] = []
    mixed: set[str] = set()
    reused: set[str] = set()
    for key, rows in buckets.items():
        if len(rows) > 1:
            rows.sort(key=_seq)
        digest = (key[0], *map(tuple, rows))
        index = _kept.get(digest)
        if index is not None:
            snapshot.table(key[0]).add(index)
            reused.add(key[0])
            continue
        for row in rows:
            builder.add(stat_row(row))
        built.append((digest, key))
    builder.build()
    new = {}
    for digest, (table, name) in built:
        new[digest] = snapshot.tables[table].indexes[name]
        if table in reused:
            mixed.add(table)
    if mixed:
        # A table with kept and built indexes gets them back in the order of its rows.
        order: dict[str, list[str]] = {}
        for owner, name in buckets:
            if owner in mixed:
                order.setdefault(owner, []).append(name)
        for table, names in order.items():
            t = snapshot.tables[table]
            t.indexes = {name: t.indexes[name] for name in names}
    with _lock:
        if len(_kept) + len(new) > MAX_KEPT:
            _kept.clear()
        if len(new) <= MAX_KEPT:  # an env larger than the memo keeps nothing
            _kept.update(new)


def add_tables(snapshot: Snapshot, builder: StatisticsBuilder, by_table: dict[str, list],
               stat_row: Callable) -> None:
    """Give ``snapshot`` the indexes of ``by_table`` (table -> its raw ``I`` rows in the
    server's order; every table already in the snapshot): the kept indexes of a table whose
    rows were seen before, else built index by index (add_indexes)."""
    tables = snapshot.tables
    kept = _tables
    missed: list[tuple[tuple, str]] = []
    buckets: dict[tuple[str, str], list] = {}
    for table, rows in by_table.items():
        # Tuples once (folded rows are lists): the index memo's keys share them.
        digest = (table, *map(tuple, rows))
        pairs = kept.get(digest)
        if pairs is not None:
            tables[table].indexes = dict(pairs)
            continue
        missed.append((digest, table))
        for row in digest[1:]:  # per index, in first-seen order: the table's order
            name = row[2]
            if name.__class__ is not str:  # a driver may hand bytes (catalog._text)
                name = bytes(name).decode("utf-8", errors="replace")
            key = (table, name.lower())
            bucket = buckets.get(key)
            if bucket is None:
                buckets[key] = [row]
            else:
                bucket.append(row)
    if not missed:
        return
    add_indexes(snapshot, builder, buckets, stat_row)
    new = {digest: tuple(tables[table].indexes.items()) for digest, table in missed}
    with _lock:
        if len(_tables) + len(new) > MAX_TABLES:
            _tables.clear()
        if len(new) <= MAX_TABLES:
            _tables.update(new)
