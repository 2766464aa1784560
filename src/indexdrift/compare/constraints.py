"""Foreign keys, CHECK constraints and table options of a table pair (data, no text).

Each kind pairs by name (the flavor's case rule), then pairs what is left by definition
(a rename: same definition, other name), like the index comparison. Nothing is compared
unless both snapshots read that kind (``Snapshot.objects``), so a source that cannot know
foreign keys never reports them as missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from indexdrift.model.tables import CheckConstraint, ForeignKey

T = TypeVar("T", ForeignKey, CheckConstraint)

# What can differ between two foreign keys of one name, in the order changes are listed.
_FK_FIELDS: tuple[tuple[str, Callable[[ForeignKey], object]], ...] = (
    ("columns", lambda k: tuple(c if k.exact_name else c.lower() for c in k.columns)),
    ("references", lambda k: (k.ref_schema, k.ref_table if k.exact_name
                              else (k.ref_table or "").lower(),
                              tuple(c if k.exact_name else c.lower() for c in k.ref_columns))),
    ("on_delete", lambda k: k.on_delete),
    ("on_update", lambda k: k.on_update),
    ("match", lambda k: k.match),
    ("deferrable", lambda k: k.deferrable),
    ("validity", lambda k: k.valid),
)
_CHECK_FIELDS: tuple[tuple[str, Callable[[CheckConstraint], object]], ...] = (
    ("expression", lambda c: c.expression),
    ("column", lambda c: None if c.column is None
     else (c.column if c.exact_name else c.column.lower())),
    ("enforced", lambda c: c.enforced),
    ("no_inherit", lambda c: c.no_inherit),
    ("validity", lambda c: c.valid),
)


def foreign_key_changes(base: ForeignKey, other: ForeignKey) -> list[str]:
    """What differs between two foreign keys of the same name."""
    return [name for name, get in _FK_FIELDS if get(base) != get(other)]


def check_changes(base: CheckConstraint, other: CheckConstraint) -> list[str]:
    """What differs between two CHECK constraints of the same name."""
    return [name for name, get in _CHECK_FIELDS if get(base) != get(other)]


def pair_objects(base: Iterable[T], other: Iterable[T], changes: Callable[[T, T], list[str]]
                 ) -> tuple[list[tuple[T, T, list[str]]], list[tuple[T, T]], list[T], list[T]]:
    """(changed, renamed, missing, extra) between two tables' objects of one kind.

    Linear: dict lookups by name key, then by definition for what is left. Validity
    (NOT VALID) is not part of the definition a rename pairs on.
    """
    base_by = {o.name_key: o for o in base}
    other_by = {o.name_key: o for o in other}
    changed = []
    for key, obj in base_by.items():
        mine = other_by.get(key)
        if mine is not None and obj.full_key() != mine.full_key():
            found = changes(obj, mine)
            if found:
                changed.append((obj, mine, found))
    unpaired_base = [o for k, o in sorted(base_by.items()) if k not in other_by]
    extra = [o for k, o in sorted(other_by.items()) if k not in base_by]
    by_shape: dict[tuple, list[T]] = {}
    for obj in reversed(extra):
        by_shape.setdefault(obj.shape_key(), []).append(obj)
    renamed, missing, taken = [], [], set()
    for obj in unpaired_base:
        candidates = by_shape.get(obj.shape_key())
        if candidates:
            mine = candidates.pop()
            taken.add(mine.name_key)
            renamed.append((obj, mine))
        else:
            missing.append(obj)
    return changed, renamed, missing, [o for o in extra if o.name_key not in taken]


def option_changes(base: dict[str, str], other: dict[str, str]) -> list[str]:
    """The table options (keys of both) whose values differ, in the dialect's order of
    ``base``; an option only one side knows is not compared."""
    return [name for name, value in base.items() if name in other and other[name] != value]
