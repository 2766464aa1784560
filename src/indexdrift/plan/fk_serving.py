"""Whether an index serves a foreign key: asked by the planner (plan/safety.py) and by
every compare's lint advisories, so it lives apart from the operations (plan/ops.py),
which a compare that plans nothing need not import (start-up time)."""

from __future__ import annotations

from indexdrift.model.tables import ForeignKey, Index, KeyPart


def names_column(part: KeyPart, column: str) -> bool:
    """True when the key part is ``column``, under the part's own name-case rule."""
    return part.column is not None and part.column_key == (
        column if part.exact_column else column.lower())


def supports_foreign_key(index: Index, fk: ForeignKey) -> bool:
    """An index serves a foreign key when the FK columns lead it, in order, unprefixed."""
    if index.index_type in ("FULLTEXT", "SPATIAL") or len(index.parts) < len(fk.columns):
        return False
    return all(names_column(p, c) and p.sub_part is None
               for p, c in zip(index.parts, fk.columns, strict=False))
