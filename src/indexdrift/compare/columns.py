"""Compare the columns of one table: missing, extra, changed (what differs), moved.

Renames are recognised conservatively: a missing and an extra column with the same
definition and the same neighbour before them. Moves are the columns outside the longest
common order of the columns both sides have.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexdrift.model.kinds import COLUMN_CHANGED, COLUMN_EXTRA, COLUMN_MISSING, COLUMN_MOVED
from indexdrift.model.tables import Column


def identity_options_differ(a: Column, b: Column) -> bool:
    """True when two identity columns declare different sequence options. Only when both
    sides know them (the current value of the sequence is data: never compared)."""
    return (bool(a.identity and b.identity)
            and None not in (a.identity_options, b.identity_options)
            and a.identity_options != b.identity_options)


_FIELDS = (
    ("type", lambda a, b: a.type_key(b) != b.type_key(a)),
    ("nullable", lambda a, b: a.nullable != b.nullable),
    ("default", lambda a, b: a.default != b.default),
    ("comment", lambda a, b: a.comment != b.comment),
    ("charset", lambda a, b: a.charset != b.charset),
    ("collation", lambda a, b: a.collation != b.collation),
    ("auto_increment", lambda a, b: a.auto_increment != b.auto_increment),
    ("on_update", lambda a, b: a.on_update != b.on_update),
    ("generated", lambda a, b: (a.generated, a.expression) != (b.generated, b.expression)),
    ("identity", lambda a, b: a.identity != b.identity),
    ("identity_options", identity_options_differ),
)


@dataclass(slots=True)
class ColumnDiff:
    """One column difference of one table (data only)."""

    kind: str
    column: str  # baseline name (env name for extra)
    baseline: Column | None
    current: Column | None
    changes: list[str] = field(default_factory=list)
    # The column before it in the baseline (for ADD/move AFTER) and in the env (rollback).
    after_baseline: str | None = None
    after_env: str | None = None


def column_changes(base: Column, other: Column) -> list[str]:
    """What differs between two definitions of a column, in a stable order."""
    changes = ["name"] if base.name != other.name else []
    return changes + [name for name, differs in _FIELDS if differs(base, other)]


def _before(ordered: list[Column]) -> dict[str, str | None]:
    return {c.name_key: (ordered[i - 1].name if i else None) for i, c in enumerate(ordered)}


def compare_columns(base: dict[str, Column], env: dict[str, Column]) -> list[ColumnDiff]:
    """All column differences of a table present on both sides."""
    base_order = sorted(base.values(), key=lambda c: c.position)
    env_order = sorted(env.values(), key=lambda c: c.position)
    base_prev, env_prev = _before(base_order), _before(env_order)
    missing = [c for c in base_order if c.name_key not in env]
    extra = [c for c in env_order if c.name_key not in base]
    renamed: dict[str, Column] = {}  # baseline key -> env column
    for col in missing:
        for other in extra:
            if (other.shape_key() == col.shape_key() and other not in renamed.values()
                    and (env_prev[other.name_key] or "").lower()
                    == (base_prev[col.name_key] or "").lower()):
                renamed[col.name_key] = other
                break
    diffs: list[ColumnDiff] = []
    for col in base_order:
        mine = env.get(col.name_key) or renamed.get(col.name_key)
        if mine is None:
            diffs.append(ColumnDiff(COLUMN_MISSING, col.name, col, None,
                                    after_baseline=base_prev[col.name_key]))
            continue
        changes = column_changes(col, mine)
        if changes:
            diffs.append(ColumnDiff(COLUMN_CHANGED, col.name, col, mine, changes,
                                    base_prev[col.name_key], env_prev[mine.name_key]))
    renamed_env = {c.name_key for c in renamed.values()}
    for col in extra:
        if col.name_key not in renamed_env:
            diffs.append(ColumnDiff(COLUMN_EXTRA, col.name, None, col,
                                    after_env=env_prev[col.name_key]))
    # Moves: among the columns both sides have (renames paired), which are out of order.
    pairs = {c.name_key: (env.get(c.name_key) or renamed.get(c.name_key)) for c in base_order}
    common_base = [c.name_key for c in base_order if pairs[c.name_key] is not None]
    env_key = {pairs[k].name_key: k for k in common_base}
    common_env = [env_key[c.name_key] for c in env_order if c.name_key in env_key]
    from difflib import SequenceMatcher  # lazy: only a compare of columns (start-up time)

    matcher = SequenceMatcher(a=common_base, b=common_env, autojunk=False)
    in_order = {common_base[block.a + i] for block in matcher.get_matching_blocks()
                for i in range(block.size)}
    changed = {d.baseline.name_key: d for d in diffs if d.kind == COLUMN_CHANGED}
    for key in common_base:
        if key in in_order:
            continue
        col, mine = base[key], pairs[key]
        if key in changed:
            changed[key].changes.append("position")
        else:
            diffs.append(ColumnDiff(COLUMN_MOVED, col.name, col, mine, ["position"],
                                    base_prev[key], env_prev[mine.name_key]))
    return diffs
