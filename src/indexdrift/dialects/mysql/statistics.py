"""Turn rows shaped like MySQL/MariaDB ``information_schema.STATISTICS`` into a Snapshot.

Both the CSV reader and the live MySQL reader feed rows here, so an export and a live
read of the same schema build the very same model.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from indexdrift.core.errors import InputError
from indexdrift.core.limits import excerpt
from indexdrift.model.tables import Index, KeyPart, Snapshot, normalize_index_type

# The most key parts an index can have (MariaDB's MAX_REF_PARTS; MySQL allows 16) and the
# longest prefix (SUB_PART) any MySQL or MariaDB engine accepts (InnoDB's 3072-byte key
# limit; SUB_PART counts characters, never more than bytes): what a file may claim.
MAX_KEY_PARTS = 32
MAX_PREFIX = 3072


@dataclass(slots=True)
class StatRow:
    """One key part row, already converted to Python values."""

    table: str
    index: str
    non_unique: bool
    seq: int
    column: str | None
    collation: str | None
    index_type: str | None
    sub_part: int | None
    comment: str | None = None
    visible: bool = True
    expression: str | None = None
    line: int | None = None  # where the row came from, for error messages


def cell_text(value: object) -> str | None:
    """A catalog cell as text: str and None as they are (the common case, first: called
    per cell), bytes decoded (a driver may hand binary columns so), anything else str()."""
    if value is None or value.__class__ is str:
        return value  # type: ignore[return-value]
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def _seq(row: StatRow) -> int:
    return row.seq


# Key parts and index types repeat across thousands of tables; sharing the (immutable)
# values saves building them again and makes equal indexes compare by identity.
@lru_cache(maxsize=1 << 16)
def _key_part(column: str | None, expression: str | None, sub_part: int | None,
              descending: bool) -> KeyPart:
    return KeyPart(column=column, expression=expression, sub_part=sub_part,
                   descending=descending)


# The one cache of key parts, for the builder and the reader's direct build (reuse.py).
key_part = _key_part


@lru_cache(maxsize=256)
def index_type_of(value: str | None) -> str:
    """The canonical index type of a STATISTICS INDEX_TYPE value (cached)."""
    return normalize_index_type(value)


class StatisticsBuilder:
    """Collects STATISTICS rows (in any order) and builds validated indexes."""

    def __init__(self, snapshot: Snapshot, origin: str) -> None:
        self.snapshot = snapshot
        self.origin = origin
        self._parts: dict[tuple[str, str], list[StatRow]] = {}

    def add_table(self, table: str) -> None:
        """Record a table that exists, with or without indexes."""
        self.snapshot.table(table)

    def add(self, row: StatRow) -> None:
        """Record one key part row."""
        key = (row.table, row.index.lower())
        bucket = self._parts.get(key)
        if bucket is None:
            # A table's first row always opens a new bucket, so tables are still
            # created in the order they first appear.
            self.snapshot.table(row.table)
            self._parts[key] = [row]
        else:
            bucket.append(row)

    def _fail(self, row: StatRow, column: str, message: str) -> None:
        raise InputError(self.origin, message, row.line, column)

    def _check(self, table: str, rows: list[StatRow]) -> None:
        """Raise the first problem of an index's sorted key part rows, if any."""
        first = rows[0]
        where = f"index {excerpt(first.index)} on table {excerpt(table)}"
        for position, row in enumerate(rows, start=1):
            if row.seq != position:
                if row.seq < position:
                    self._fail(row, "SEQ_IN_INDEX", f"key part position {row.seq} of "
                               f"{where} appears twice")
                self._fail(row, "SEQ_IN_INDEX", f"{where} has no key part at position "
                           f"{position} (next is {row.seq})")
            if row.non_unique != first.non_unique:
                self._fail(row, "NON_UNIQUE", f"{where} has key parts that disagree on "
                           "NON_UNIQUE")
            if row.column is None and row.expression is None:
                self._fail(row, "COLUMN_NAME", f"key part {row.seq} of index "
                           f"{excerpt(first.index)} has neither a column nor an expression")

    def build(self) -> Snapshot:
        """Validate key part positions and attach every index to its table."""
        for (table, _), rows in self._parts.items():
            if len(rows) > 1:
                rows.sort(key=_seq)
            first = rows[0]
            # Fast check of the common case; _check finds and reports the first problem.
            position = 0
            for row in rows:
                position += 1
                if (row.seq != position or row.non_unique != first.non_unique
                        or (row.column is None and row.expression is None)):
                    self._check(table, rows)
            index_type = index_type_of(first.index_type)
            spatial = index_type == "SPATIAL"
            parts = tuple(
                _key_part(
                    r.column,
                    r.expression if r.column is None else None,
                    # SUB_PART on SPATIAL indexes is noise some versions report.
                    None if spatial else r.sub_part,
                    (r.collation or "").upper() == "D",
                )
                for r in rows
            )
            primary = first.index.upper() == "PRIMARY"
            self.snapshot.table(table).add(Index(
                table=table,
                name="PRIMARY" if primary else first.index,
                parts=parts,
                unique=not first.non_unique,
                primary=primary,
                index_type=index_type,
                comment=first.comment or "",
                visible=first.visible,
            ))
        self._parts.clear()
        return self.snapshot
