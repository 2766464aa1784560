"""Turn rows shaped like MySQL/MariaDB ``information_schema.STATISTICS`` into a Snapshot.

Both the CSV reader and the live MySQL reader feed rows here, so an export and a live
read of the same schema build the very same model.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexdrift.errors import InputError
from indexdrift.model import Index, KeyPart, Snapshot, normalize_index_type


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
        self.snapshot.table(row.table)
        key = (row.table, row.index.lower())
        bucket = self._parts.get(key)
        if bucket is None:
            self._parts[key] = [row]
        else:
            bucket.append(row)

    def _fail(self, row: StatRow, column: str, message: str) -> None:
        raise InputError(self.origin, message, row.line, column)

    def build(self) -> Snapshot:
        """Validate key part positions and attach every index to its table."""
        for (table, _), rows in self._parts.items():
            rows.sort(key=lambda r: r.seq)
            first = rows[0]
            for position, row in enumerate(rows, start=1):
                if row.seq != position:
                    if row.seq < position:
                        self._fail(row, "SEQ_IN_INDEX", f"key part position {row.seq} of index "
                                   f"{first.index!r} on table {table!r} appears twice")
                    self._fail(row, "SEQ_IN_INDEX", f"index {first.index!r} on table {table!r} "
                               f"has no key part at position {position} (next is {row.seq})")
                if row.non_unique != first.non_unique:
                    self._fail(row, "NON_UNIQUE", f"index {first.index!r} on table {table!r} "
                               "has key parts that disagree on NON_UNIQUE")
                if row.column is None and row.expression is None:
                    self._fail(row, "COLUMN_NAME", f"key part {row.seq} of index {first.index!r} "
                               "has neither a column nor an expression")
            index_type = normalize_index_type(first.index_type)
            parts = tuple(
                KeyPart(
                    column=r.column,
                    expression=r.expression if r.column is None else None,
                    # SUB_PART on SPATIAL indexes is noise some versions report.
                    sub_part=None if index_type == "SPATIAL" else r.sub_part,
                    descending=(r.collation or "").upper() == "D",
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
