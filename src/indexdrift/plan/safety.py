"""Refuse drops that would fail or hurt: FK-needed indexes, AUTO_INCREMENT, lone PK drops.

Checks run on the table as it would be after the planned steps, so a replacement index
added in the same statement satisfies the foreign key (InnoDB accepts that).

PostgreSQL is stricter: a foreign key (of any table) depends on the one unique index it was
created against (``pg_constraint.conindid``), so that index cannot be dropped or rebuilt
while the foreign key exists, replacement or not (the DROP fails, or with CASCADE silently
drops the foreign key). Renames and comments are fine.

SQLite lets any index be dropped, but it looks a foreign key's parent key up each time the
key is checked: without a UNIQUE index on exactly the parent columns, every later write to
the child table fails with "foreign key mismatch". So there a drop is refused unless the
same migration leaves another index that serves the same foreign keys (a rebuild that keeps
the parent key usable is fine).
"""

from __future__ import annotations

from indexdrift.model.tables import ForeignKey, Index, Table
from indexdrift.plan.fk_serving import names_column as _names_column
from indexdrift.plan.fk_serving import supports_foreign_key  # noqa: F401 (re-exported)
from indexdrift.plan.notes import Note
from indexdrift.plan.ops import (
    AddIndex,
    DropIndex,
    Held,
    RenameIndex,
    ReplaceIndex,
    SetVisibility,
    Step,
    TablePlan,
    dropped_indexes,
)


def leads_with(index: Index, column: str) -> bool:
    """True when ``column`` is the first key part of ``index`` (AUTO_INCREMENT needs one)."""
    first = index.parts[0] if index.parts else None
    return (first is not None and _names_column(first, column)
            and index.index_type != "FULLTEXT")


def apply_steps(indexes: dict[str, Index], steps: list[Step]) -> dict[str, Index]:
    """The table's indexes after ``steps`` (a simulation; nothing runs)."""
    state = dict(indexes)
    for step in steps:
        for op in step.ops:
            if isinstance(op, DropIndex):
                state.pop(op.index.name_key, None)
            elif isinstance(op, AddIndex):
                state[op.index.name_key] = op.index
            elif isinstance(op, (RenameIndex, ReplaceIndex)):
                state.pop(op.old.name_key, None)
                state[op.new.name_key] = op.new
            elif isinstance(op, SetVisibility):
                state[op.index.name_key] = op.index
    return state


def _only_renames(step: Step) -> bool:
    """True when the step replaces one index by one that differs only in name/comment
    (the DDL renames and comments instead: the index, and what depends on it, stays)."""
    return (len(step.ops) == 1 and isinstance(step.ops[0], ReplaceIndex)
            and step.ops[0].only_name_or_comment())


def serves_same_parent_key(index: Index, dropped: Index) -> bool:
    """True when ``index`` can stand in for ``dropped`` as SQLite's parent key: UNIQUE,
    not partial, on the same columns (any order) with the same collations."""
    def columns(ix: Index) -> set[tuple[str, str | None]] | None:
        if any(p.column is None for p in ix.parts):
            return None
        return {(p.column_key or "", p.collation) for p in ix.parts}

    return (index.unique and index.predicate is None and len(index.parts) == len(dropped.parts)
            and columns(index) is not None and columns(index) == columns(dropped))


def referencing_foreign_keys(step: Step, table: Table,
                             after: dict[str, Index] | None = None) -> tuple[str, ...]:
    """The foreign keys that depend on an index this step really drops.

    ``after`` (SQLite): the table's indexes once the migration ran; a dropped index that
    one of them can replace as the parent key leaves its foreign keys working.
    """
    if not table.referenced_by or _only_renames(step):
        return ()
    found: list[str] = []
    for dropped in dropped_indexes(step.ops):
        dependents = table.referenced_by.get(dropped.name_key, ())
        if dependents and after is not None and any(
                serves_same_parent_key(ix, dropped) for ix in after.values()):
            continue
        found += dependents
    return tuple(found)


def _describe(foreign_keys: tuple[str, ...]) -> Note:
    key = "migrate.detail.foreign_key" if len(foreign_keys) == 1 else "migrate.detail.foreign_keys"
    return Note(key, names=", ".join(foreign_keys))


def hold_referenced_drops(plan: TablePlan, table: Table, *, rebinds: bool = False) -> None:
    """Refuse steps that drop an index a foreign key depends on (even with --drop-extra);
    a commented-out drop of such an index says it is refused, not just held.

    ``rebinds`` (SQLite): a foreign key uses whichever index fits when it is checked, so
    a drop is fine when the migration leaves another index that serves it.
    """
    if not table.referenced_by:
        return
    while True:
        after = apply_steps(table.indexes, plan.steps) if rebinds else None
        for step in plan.steps:
            found = referencing_foreign_keys(step, table, after)
            if found:
                # Refusing a step changes what the others leave behind: look again.
                plan.steps.remove(step)
                plan.held.append(Held(step, "fk_referenced", _describe(found),
                                      commented=False))
                break
        else:
            break
    for position, held in enumerate(plan.held):
        after = apply_steps(table.indexes, [*plan.steps, held.step]) if rebinds else None
        found = referencing_foreign_keys(held.step, table, after)
        if held.why == "extra_not_dropped" and found:
            plan.held[position] = Held(held.step, "fk_referenced", _describe(found),
                                       commented=False)


def leads_with_parent_columns(index: Index, fk: ForeignKey) -> bool:
    """InnoDB's rule for a foreign key's parent: the referenced columns lead the index, in
    order, unprefixed."""
    if index.index_type in ("FULLTEXT", "SPATIAL") or len(index.parts) < len(fk.ref_columns):
        return False
    return all(_names_column(p, c) and p.sub_part is None
               for p, c in zip(index.parts, fk.ref_columns, strict=False))


def _needs(table: Table, fk_index: bool,
           parents: tuple[ForeignKey, ...] = ()) -> list[tuple[str, str, object]]:
    needs: list[tuple[str, str, object]] = []
    for fk in table.foreign_keys if fk_index else ():
        needs.append(("fk_needs", Note("migrate.detail.foreign_key_columns", name=fk.name,
                                       columns=", ".join(fk.columns)),
                      lambda ix, fk=fk: supports_foreign_key(ix, fk)))
    for fk in parents if fk_index else ():
        needs.append(("fk_needs", Note("migrate.detail.foreign_key_parent", name=fk.name,
                                       table=fk.table, columns=", ".join(fk.ref_columns)),
                      lambda ix, fk=fk: leads_with_parent_columns(ix, fk)))
    if table.auto_increment_column:
        column = table.auto_increment_column
        needs.append(("auto_increment", Note("migrate.detail.auto_increment", column=column),
                      lambda ix, column=column: leads_with(ix, column)))
    return needs


def hold_unsafe_steps(plan: TablePlan, table: Table, *, rebinds: bool = False,
                      fk_index: bool = True, parents: tuple[ForeignKey, ...] = ()) -> None:
    """Move steps whose drops break a foreign key or AUTO_INCREMENT into ``plan.held``;
    ``rebinds`` as in ``hold_referenced_drops`` (True on SQLite); ``fk_index``: the
    child's foreign keys need an index on their columns (InnoDB's rule), and so do the
    ``parents``' referenced columns: foreign keys (of any table) that reference this one,
    known when the env's keys were read."""
    hold_referenced_drops(plan, table, rebinds=rebinds)
    needs = _needs(table, fk_index, parents)
    if not needs:
        return
    while True:
        after = apply_steps(table.indexes, plan.steps)
        culprit: tuple[Step, str, str] | None = None
        for why, what, serves in needs:
            if any(serves(ix) for ix in table.indexes.values()) and \
                    not any(serves(ix) for ix in after.values()):
                for step in plan.steps:
                    if any(serves(ix) for ix in dropped_indexes(step.ops)):
                        culprit = (step, why, what)
                        break
            if culprit:
                break
        if culprit is None:
            return
        step, why, what = culprit
        plan.steps.remove(step)
        plan.held.append(Held(step, why, what, commented=False))
