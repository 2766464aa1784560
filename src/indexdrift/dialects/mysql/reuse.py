"""Indexes built once per distinct catalog rows: most tables are the same in every env.

An index's key-part rows (the catalog query's ``I`` rows, table name included) decide its
Index entirely, and Index is immutable. So the Index built from one env's rows serves every
other env whose rows are the same, value for value: those rows skip StatRow, validation
and building (rows that fail validation raise and are never kept), and compare then sees
the very same object on both sides. The memo is bounded; an env whose indexes are new
simply builds them.

Whole tables first: a table's ``I`` rows, in the server's order, decide all its indexes
and their order, so a table whose rows are those another env gave gets the same indexes
without even grouping its rows per index (``_tables``: the table's (name_key, Index)
pairs, process-wide and bounded like the index memo; Index objects are immutable, so any
run may use them). Only the tables that differ go index by index.

Where the read is of indexes alone, a table is moreover the very same Table as in the
run's other envs with those rows, so compare skips it and lint checks it once. Table
objects are shared only through the run's TableShare (sources/tableshare.py: one run,
never across runs; nothing changes a table once read), which the run hands this reader
as it does the CSV readers (registry ``takes_table_share``): the keys are ``(SHARE_TAG,
(table, *rows))``, apart from the CSV readers' (theirs start with a layout tuple). A fleet
reads any number of schemas into one share, so at most MAX_TABLES of this reader's tables
go into it; past that a target's tables are built from the pairs, as in a detailed read.
A read without a share (``read_mysql`` called on its own) shares no Table.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock

from indexdrift.dialects.mysql.statistics import (
    StatisticsBuilder,
    cell_text,
    index_type_of,
    key_part,
)
from indexdrift.model.tables import Index, Snapshot, Table
from indexdrift.sources.tableshare import TableShare

# About the indexes of one 15,000-table env; past it the memo starts again, all at once
# (what it then holds is the latest env's new indexes; a later env whose indexes are
# gone from it builds them again, which costs time, never a difference).
MAX_KEPT = 1 << 16
_kept: dict[tuple, Index] = {}
# Tables: (table, its I rows as tuples, in server order) -> its (name_key, Index) pairs.
# MAX_TABLES bounds both this memo (past it, it starts again) and how many of this
# reader's tables one run's TableShare keeps (past it, the share keeps what it has).
MAX_TABLES = 1 << 15
_tables: dict[tuple, tuple[tuple[str, Index], ...]] = {}
# The first item of this reader's TableShare keys (see the module).
SHARE_TAG = "mysql-catalog"
_lock = Lock()


def _seq(row) -> int:
    return int(row[4])


def _index_of(table: str, rows: list) -> Index | None:
    """The Index of one index's raw ``I`` rows (sorted by position), built as
    StatisticsBuilder.build builds it from their StatRows (catalog._stat_row); None when
    a row is not what a valid index has (the builder then reports it)."""
    first = rows[0]
    non_unique = int(first[3]) == 1
    position = 0
    for row in rows:
        position += 1
        if (int(row[4]) != position or (int(row[3]) == 1) != non_unique
                or (row[5] is None and row[11] is None)):
            return None
    index_type = index_type_of(cell_text(first[7]))
    spatial = index_type == "SPATIAL"
    text = cell_text
    parts = tuple(
        key_part(
            text(r[5]),
            text(r[11]) if r[5] is None else None,
            # SUB_PART on SPATIAL indexes is noise some versions report.
            None if spatial or r[8] is None else int(r[8]),
            (text(r[6]) or "").upper() == "D",
        )
        for r in rows
    )
    name = text(first[2])
    primary = name.upper() == "PRIMARY"
    return Index(table=table, name="PRIMARY" if primary else name, parts=parts,
                 unique=not non_unique, primary=primary, index_type=index_type,
                 comment=text(first[9]) or "", visible=text(first[10]) != "NO")


def add_indexes(snapshot: Snapshot, builder: StatisticsBuilder,
                buckets: dict[tuple[str, str], list], stat_row: Callable) -> None:
    """Give ``snapshot`` the indexes of ``buckets`` (``(table, lower-cased index name)``
    -> its raw ``I`` rows as tuples, in first-seen order): a kept Index where the same rows
    were seen before, else one built from the rows (_index_of); rows that are not a valid
    index go to ``builder`` (as ``stat_row(row)``), which raises the error that names the
    problem. Each table keeps its indexes in bucket order, as when every index is built."""
    new: dict[tuple, Index] = {}
    tables = snapshot.tables
    kept = _kept
    for key, rows in buckets.items():
        if len(rows) > 1:
            rows.sort(key=_seq)
        digest = (key[0], *rows)
        index = kept.get(digest)
        if index is None:
            index = _index_of(key[0], rows)
            if index is None:
                for row in rows:
                    builder.add(stat_row(row))
                continue
            new[digest] = index
        tables[key[0]].add(index)
    builder.build()  # raises for the rows it was given, if any
    with _lock:
        if len(_kept) + len(new) > MAX_KEPT:
            _kept.clear()
        if len(new) <= MAX_KEPT:  # an env larger than the memo keeps nothing
            _kept.update(new)


def _bare(table: Table) -> bool:
    """True when ``table`` holds nothing but its name and indexes (what ``whole`` shares)."""
    return (table.engine is None and table.size_bytes is None and not table.foreign_keys
            and table.auto_increment_column is None and table.columns is None
            and table.checks is None and table.options is None and not table.referenced_by)


def add_tables(snapshot: Snapshot, builder: StatisticsBuilder, by_table: dict[str, list],
               stat_row: Callable, whole: bool = False,
               share: TableShare | None = None) -> None:
    """Give ``snapshot`` the indexes of ``by_table`` (table -> its raw ``I`` rows in the
    server's order; every table already in the snapshot): the kept indexes of a table whose
    rows were seen before, else built index by index (add_indexes).

    ``whole``: the read's tables are their indexes alone (no details, no objects), and
    nothing changes a table once read (sources/tableshare.py: ignore rules and columns
    replace an env's table with a copy). With the run's ``share``, a table whose rows an
    earlier env of the run gave is then that env's very Table object, which compare skips
    and lint checks once, and each table built here is offered to the later envs (at most
    MAX_TABLES per run). Otherwise a table gets the kept indexes in a dict of its own.
    """
    tables = snapshot.tables
    kept = _tables
    shared = share if whole else None  # whole tables go only through the run's share
    offered: list[tuple[tuple, Table]] = []
    missed: list[tuple[tuple, str, bool]] = []
    buckets: dict[tuple[str, str], list] = {}
    for table, rows in by_table.items():
        # Tuples once (folded rows are lists): the index memo's keys share them.
        digest = (table, *map(tuple, rows))
        offer = False
        if shared is not None and _bare(tables[table]):
            found = shared.get((SHARE_TAG, digest))
            if found is not None:
                tables[table] = found
                continue
            offer = True
        pairs = kept.get(digest)
        if pairs is not None:
            t = tables[table]
            t.indexes = dict(pairs)
            if offer:
                offered.append((digest, t))
            continue
        missed.append((digest, table, offer))
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
    if missed:
        add_indexes(snapshot, builder, buckets, stat_row)  # raises for rows of no index
        new = {}
        for digest, table, offer in missed:
            t = tables[table]
            new[digest] = tuple(t.indexes.items())
            if offer:
                offered.append((digest, t))
        with _lock:
            if len(_tables) + len(new) > MAX_TABLES:
                _tables.clear()
            if len(new) <= MAX_TABLES:
                _tables.update(new)
    if shared is not None:
        # Once every index is built: rows that are no index raise first, sharing nothing.
        for digest, t in offered:
            shared.put((SHARE_TAG, digest), t, limit=MAX_TABLES)
