"""Build indexes straight from the raw text cells of a STATISTICS export.

A large export has hundreds of thousands of key part rows, nearly all of them plain:
positions 1..n in order, NON_UNIQUE alike on every part, no escapes, small prefix lengths.
Those indexes are built here from the cells without an intermediate row object. Any
index with anything unusual about it — and every malformed one — goes through
``StatisticsBuilder`` row by row instead, so the result and every error message are
exactly those of the general path (tests/test_csv_fast_path.py holds the two together).
"""

from __future__ import annotations

from operator import itemgetter

from indexdrift.dialects.mysql.statistics import (
    MAX_KEY_PARTS,
    MAX_PREFIX,
    StatisticsBuilder,
    index_type_of,
)
from indexdrift.model.tables import Index, KeyPart, Snapshot, Table
from indexdrift.sources.csvtext import unescape_tsv
from indexdrift.sources.sqlcells import MYSQL, expression_problem
from indexdrift.sources.tableshare import TableShare

NULLS = frozenset(("", "NULL", "\\N"))
# The values in range, as written plainly; anything else takes the general path, which
# reports it.
POSITIONS = {str(n): n for n in range(1, MAX_KEY_PARTS + 1)}
PREFIXES = {str(n): n for n in range(1, MAX_PREFIX + 1)}
BITS = {"0": 0, "1": 1}
YES_NO = {"YES": True, "NO": False, "Yes": True, "No": False, "yes": True, "no": False}
_DESC = {"A": False, "D": True}

# Key parts repeat across thousands of tables and across the envs read in one run; sharing
# them saves building them again and lets equal indexes compare by identity. Dict
# operations are atomic under the GIL, so concurrent readers may share the cache.
# One cache per file layout: the same cell tuple means different things when the file
# has other optional columns or carries escapes.
_PARTS: dict[tuple, dict[tuple, tuple]] = {}
_PARTS_LIMIT = 1 << 16
# What ``rows_of`` holds for a table built already (its rows are dropped).
TAKEN: tuple = ()


class CellColumns:
    """Where each STATISTICS column sits in a row of cells (None when absent)."""

    __slots__ = ("table", "index", "non_unique", "seq", "column", "collation", "type",
                 "sub_part", "comment", "visible", "ignored", "expression")

    def __init__(self, positions: dict[str, int]) -> None:
        self.table = positions["TABLE_NAME"]
        self.index = positions["INDEX_NAME"]
        self.non_unique = positions["NON_UNIQUE"]
        self.seq = positions["SEQ_IN_INDEX"]
        self.column = positions["COLUMN_NAME"]
        self.collation = positions["COLLATION"]
        self.type = positions["INDEX_TYPE"]
        self.sub_part = positions["SUB_PART"]
        self.comment = positions.get("INDEX_COMMENT")
        self.visible = positions.get("IS_VISIBLE")
        self.ignored = positions.get("IGNORED")
        self.expression = positions.get("EXPRESSION")


class CellIndexBuilder:
    """Collects the cell rows of each table (with their line number appended as the last
    cell), then builds the snapshot's indexes.

    The reader fills ``rows_of`` (each table's rows, in file order, tables in the order
    they first appear), sets ``scattered`` when a table's rows are not side by side, and
    puts None into the snapshot's tables for each table it meets (its place in table
    order): ``build`` puts the table there. With a share the reader may hand over each
    table as soon as its rows are all read (``take``; ``rows_of`` then holds ``TAKEN``).

    ``to_row`` turns one cell row into a fully parsed StatRow (raising the reader's
    errors); it is used only for indexes the fast path does not take.

    ``share``: the run's tables by their cells (``sources/tableshare.py``). A table whose
    indexes all take the fast path is keyed by the file's layout, its name and the cells
    of its rows that build it (never CARDINALITY, schema or line numbers); an earlier env's
    table with the same key is used as it is, else the one built here is offered to later
    envs. Tables with an index on the general path are never shared, nor are any when a
    table's rows are scattered through the file (the reader then reads the file again
    whole), so both paths build, order and refuse exactly what they did without a share.
    A table taken before its file turned out scattered stays in the share: it is what its
    key's cells build, whichever env has them.
    """

    def __init__(self, snapshot: Snapshot, origin: str, columns: CellColumns,
                 to_row, *, escaped: bool, share: TableShare | None = None) -> None:
        self.snapshot = snapshot
        self.origin = origin
        self.cols = columns
        self.to_row = to_row
        # mysql --batch output escapes backslashes; such cells take the general path.
        self.escaped = escaped
        self.rows_of: dict[str, list[list]] = {}
        self.scattered = False
        layout = (escaped, columns.expression is not None, columns.visible is not None,
                  columns.ignored is not None)
        self.parts_cache = _PARTS.setdefault(layout, {})
        if len(self.parts_cache) > _PARTS_LIMIT:
            self.parts_cache.clear()
        self.share = share
        # The indexes for the general path, in the order they first appear.
        self.slow: dict[tuple[str, str], list[list]] = {}
        c = columns
        self.part_of = itemgetter(*(p for p in (c.seq, c.non_unique, c.type, c.column,
                                                c.expression, c.sub_part, c.collation,
                                                c.visible, c.ignored) if p is not None))
        self.head_of = itemgetter(*(p for p in (c.non_unique, c.type, c.comment, c.visible,
                                                c.ignored) if p is not None))
        self.heads: dict[tuple, tuple] = {}
        # A table's key: the layout (which cells there are, escapes or not) and the cells
        # that build its indexes, in this order, for each of its rows.
        self.layout = ("statistics", *layout, columns.comment is not None)
        self.cells_of = itemgetter(*(p for p in (
            c.index, c.non_unique, c.seq, c.column, c.expression, c.sub_part, c.collation,
            c.type, c.comment, c.visible, c.ignored) if p is not None))

    def take(self, name: str, rows: list[list]) -> None:
        """Build the table ``name`` from all its ``rows`` now (a share is given), or take
        the share's table of the same cells; indexes off the fast path wait for ``build``
        (as they would without a share, in the same order)."""
        # NUL is in no cell (csvscan refuses it), so it separates them unambiguously;
        # every row has the same number of cells.
        join = "\0".join
        key = (self.layout, name, join(map(join, map(self.cells_of, rows))))
        share = self.share
        assert share is not None
        found = share.get(key)
        if found is not None:
            self.snapshot.tables[name] = found  # the table keeps its place in the snapshot
            return
        table = self.snapshot.tables[name] = Table(name)
        if not self._build_indexes(self._buckets(name, rows), self.slow):
            share.put(key, table)

    def build(self) -> Snapshot:
        """Attach every collected index to its table; general path for unusual ones."""
        tables = self.snapshot.tables
        slow = self.slow
        if self.share is not None and not self.scattered:
            for name, rows in self.rows_of.items():
                if rows is not TAKEN:
                    self.take(name, rows)
        else:
            found_buckets = []
            for name, rows in self.rows_of.items():
                tables[name] = Table(name)
                found_buckets += self._buckets(name, rows)
            if self.scattered:
                # The order the indexes first appear in (their first row's line), as
                # the general path sees (and refuses) them.
                found_buckets.sort(key=_first_line)
            self._build_indexes(found_buckets, slow)
        if slow:
            self._build_slow(slow)
        self.rows_of.clear()
        return self.snapshot

    def _buckets(self, table: str, rows: list[list]) -> list[tuple[tuple[str, str], list]]:
        """A table's rows by index: ((table, lower-cased index name), rows) in the order
        the indexes first appear; rows without an index (a table without any) left out."""
        found: dict[tuple[str, str], list[list]] = {}
        buckets = []
        p_index = self.cols.index
        escaped = self.escaped
        seen: object = None
        bucket: list | None = None
        for row in rows:
            index = row[p_index]
            if index != seen:
                seen = index
                # A raw NULL spelling stays as it is, so the check below sees it.
                if escaped and "\\" in index and index not in NULLS:
                    index = unescape_tsv(index)
                if index in NULLS:
                    # A table without any index: indexdrift's export writes one such row
                    # so the table is known to exist (a plain STATISTICS export cannot).
                    bucket = None
                else:
                    key = (table, index.lower())
                    bucket = found.get(key)
                    if bucket is None:
                        bucket = found[key] = []
                        buckets.append((key, bucket))
            if bucket is not None:
                bucket.append(row)
        return buckets

    def _build_indexes(self, buckets, slow: dict[tuple[str, str], list[list]]) -> bool:
        """Build the indexes of ``buckets`` ((table, index) key, rows) into their tables;
        those the fast path does not take go to ``slow``. True when any did."""
        c = self.cols
        tables = self.snapshot.tables
        parts_cache = self.parts_cache
        # The cells that decide a key part and an index's head, taken out in C; their
        # tuples key the caches, so a repeated combination is checked and built once.
        part_of = self.part_of
        head_of = self.head_of
        heads = self.heads
        plain_part = self._plain_part
        went_slow = False
        for key, rows in buckets:
            first = rows[0]
            head_cells = head_of(first)
            head = heads.get(head_cells)
            if head is None:
                head = heads[head_cells] = self._head(first)
            if not head:
                slow[key] = rows
                went_slow = True
                continue
            if len(rows) == 1:
                entry = parts_cache.get(part_of(first)) or plain_part(first, part_of)
                parts = (entry[2],) if entry is not None and entry[0] == 1 else None
            else:
                parts = self._parts(rows, part_of)
            if parts is None:
                slow[key] = rows
                went_slow = True
                continue
            name = first[c.index]
            if self.escaped and "\\" in name:
                slow[key] = rows
                went_slow = True
                continue
            primary = name.upper() == "PRIMARY"
            tables[key[0]].add(Index(
                key[0], "PRIMARY" if primary else name, parts, head[0], primary, head[1],
                head[2], head[3],
            ))
        return went_slow

    def _parts(self, rows: list[list], part_of) -> tuple | None:
        """The key parts of a plain index of several rows (positions 1..n in order,
        NON_UNIQUE alike), or None when it needs the general path."""
        cache = self.parts_cache
        non_unique = rows[0][self.cols.non_unique]
        found = []
        position = 0
        for row in rows:
            position += 1
            entry = cache.get(part_of(row)) or self._plain_part(row, part_of)
            if entry is None or entry[0] != position or entry[1] != non_unique:
                return None
            found.append(entry[2])
        return tuple(found)

    def _head(self, first: list) -> tuple:
        """(unique, index type, comment, visible) from an index's first row; () when a
        cell needs the general path."""
        c = self.cols
        non_unique = BITS.get(first[c.non_unique])
        if non_unique is None:
            return ()
        if self.escaped and any("\\" in first[p] for p in (c.type, c.comment) if p is not None):
            return ()
        visible = True
        if c.visible is not None:
            cell = first[c.visible]
            if cell not in NULLS:
                if cell not in YES_NO:
                    return ()
                visible = YES_NO[cell]
        if c.ignored is not None:
            cell = first[c.ignored]
            if cell not in NULLS:
                if cell not in YES_NO:
                    return ()
                visible = visible and not YES_NO[cell]
        comment = first[c.comment] if c.comment is not None else ""
        index_type = first[c.type]
        return (not non_unique, index_type_of(None if index_type in NULLS else index_type),
                "" if comment in NULLS else comment, visible)

    def _plain_part(self, row: list, part_of) -> tuple | None:
        """(position, NON_UNIQUE cell, KeyPart) of a plain row, cached; None when a cell
        needs the general path."""
        c = self.cols
        cells = part_of(row)
        if self.escaped and any("\\" in cell for cell in cells):
            return None
        seq = POSITIONS.get(row[c.seq])
        if seq is None or row[c.non_unique] not in BITS:
            return None
        for p in (c.visible, c.ignored):
            if p is not None and row[p] not in YES_NO and row[p] not in NULLS:
                return None
        index_type = row[c.type]
        spatial = index_type_of(None if index_type in NULLS else index_type) == "SPATIAL"
        part = _key_part_of(row[c.column], row[c.expression] if c.expression is not None else "",
                           row[c.sub_part], row[c.collation], spatial)
        if part is None:
            return None
        entry = self.parts_cache[cells] = (seq, row[c.non_unique], part)
        return entry

    def _build_slow(self, buckets: dict[tuple[str, str], list[list]]) -> None:
        builder = StatisticsBuilder(self.snapshot, self.origin)
        for rows in buckets.values():
            for row in rows:
                builder.add(self.to_row(row, row[-1]))
        builder.build()


def _first_line(bucket: tuple) -> int:
    return bucket[1][0][-1]


def _key_part_of(column: str, expression: str, sub_part: str, collation: str,
                spatial: bool) -> KeyPart | None:
    """A key part from plain cells, or None when a cell needs the general path."""
    if collation in NULLS:
        descending = False
    else:
        descending = _DESC.get(collation)  # type: ignore[assignment]
        if descending is None:
            return None
    if sub_part in NULLS:
        prefix = None
    else:
        prefix = PREFIXES.get(sub_part)
        if prefix is None:
            return None
    if expression not in NULLS and expression_problem(expression, MYSQL) is not None:
        return None  # SQL that is not one expression: the general path reports it
    if column not in NULLS:
        return KeyPart(column=column, sub_part=None if spatial else prefix,
                       descending=descending)
    if expression in NULLS:
        return None  # neither column nor expression: the general path reports it
    return KeyPart(column=None, expression=expression, sub_part=None if spatial else prefix,
                   descending=descending)

