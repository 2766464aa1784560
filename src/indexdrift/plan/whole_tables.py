"""Whole tables in a migration (issue 20): a table the env lacks is created, one only the env
has is dropped (``--drop-extra``) or renamed to its holding name (``--staged-drop``), when
``--objects`` compares tables (data; no SQL here).

Where each part runs (plan/ops.PHASES):

- a created table's ``CreateTable`` (columns, indexes, checks, options) in the middle
  phase, with the baseline's stored texts of it (``stored_texts``: SQLite writes them as
  stored; a dropped table's ``DropTable`` carries the env's, for its rollback); its
  foreign keys in the last phase, once every table they point at exists, so parents,
  children and tables that reference each other need no order of their own (SQLite
  writes them in the ``CREATE TABLE``: it lets a table name a parent created later, and
  has no ``ADD CONSTRAINT``). A foreign key of an env table that points at a
  created table is in the last phase already (plan/objects.py), after the create;
- a dropped table's own foreign keys in the first phase (the rollback adds them back
  last, after every table it re-creates exists), its ``DropTable`` in the middle phase.
  The foreign keys of the env's other tables that reference it must be dropped in the
  first phase too (extra keys, with ``--drop-extra``); when one is not, the drop is held
  with that key's name. A table whose definition was not read completely (columns,
  foreign keys, checks) is not dropped: the rollback could not re-create it;
- ``--staged-drop``: the table is renamed to ``holding_name`` in step 1 (its foreign keys
  and those that reference it go with it), and step 2 (``EnvPlan.later``) drops its own
  foreign keys and then the table under that name. A table already under a holding name
  (step 1 ran, step 2 did not) is dropped, not renamed again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from indexdrift.core.target import Target
from indexdrift.model.kinds import FOREIGN_KEY_MISSING, TABLE_EXTRA, TABLE_MISSING
from indexdrift.model.tables import ForeignKey, SchemaObject, Snapshot, Table, fold_name
from indexdrift.plan.notes import Note
from indexdrift.plan.objects import foreign_key_unsupported
from indexdrift.plan.ops import AddForeignKey, DropForeignKey, Held, Step, TablePlan
from indexdrift.plan.rebuild import RebuildTable
from indexdrift.plan.table_ops import (
    HOLDING_PREFIX,
    CreateTable,
    DropTable,
    RenameTable,
    holding_name,
)


@dataclass(slots=True)
class TableOptions:
    """What whole-table planning needs of the run's PlanOptions."""

    drop_extra: bool = False
    staged_drop: bool = False
    version: str = ""
    # The target's longest holding name and how a rename changes a table (the dialect's
    # table_ddl.MAX_HOLDING_NAME and renamed_table); staged drops need both.
    max_holding_name: int = 64
    renamed_table: Callable[[Table, str], Table] | None = None


def cannot_create(table: Table) -> Note | None:
    """Why ``table`` cannot be written from the model (created, or re-created by a
    rollback), or None: its columns were not read, or it is partitioned (PostgreSQL:
    PARTITION BY is not read)."""
    if not table.columns:
        return Note("migrate.table.no_columns", table=table.name)
    if table.engine == "partitioned":
        return Note("migrate.table.postgresql.partitioned", table=table.name)
    return None


def inline_foreign_keys(target: Target) -> bool:
    """True when a table's foreign keys are written in its CREATE TABLE (SQLite: no ADD
    CONSTRAINT), not added in the last phase."""
    return target.constraints_need_rebuild


def _plan_of(plans: dict[str, TablePlan], name: str, size: int | None = None) -> TablePlan:
    found = plans.get(name)
    if found is None:
        found = plans[name] = TablePlan(name, size_bytes=size)
    return found


def stored_texts(snapshot: Snapshot, table: Table) -> tuple[SchemaObject, ...]:
    """The stored definitions ``snapshot`` keeps of ``table`` (SQLite's ``sqlite_schema``:
    its CREATE TABLE and CREATE INDEX texts; none from other sources): ``table`` was read
    from them, so they are exactly what the model says, in the spelling of their side."""
    key = table.name.lower()
    indexes = {ix.name.lower() for ix in table.indexes.values()}
    return tuple(o for o in snapshot.schema_sql if o.sql and o.table.lower() == key and (
        (o.kind == "table" and o.name.lower() == key)
        or (o.kind == "index" and o.name.lower() in indexes)))


def plan_created(plans: dict[str, TablePlan], finding, baseline: Snapshot,
                 target: Target) -> None:
    """The create of a table the env lacks, and (in the last phase) its foreign keys."""
    base: Table = finding.baseline_table
    plan = _plan_of(plans, base.name)
    step = Step([CreateTable(base, stored_texts(baseline, base))], TABLE_MISSING, base.name)
    reason = cannot_create(base)
    if reason is not None:
        plan.table_held.append(Held(step, "table_not_created", reason, commented=False))
        return
    plan.table_steps.append(step)
    if inline_foreign_keys(target):
        return
    for fk in base.foreign_keys:
        add = Step([AddForeignKey(fk)], FOREIGN_KEY_MISSING, fk.name)
        problem = foreign_key_unsupported(fk, target)
        if problem is not None:
            plan.held.append(Held(add, "unsupported", problem, commented=False))
        else:
            plan.fk_add_steps.append(add)


def _referencing(snapshot: Snapshot, table: Table) -> list[ForeignKey]:
    """The foreign keys of the env's other tables that point at ``table``."""
    out = []
    for other in snapshot.tables.values():
        if other.name == table.name:
            continue
        for fk in other.foreign_keys:
            if fk.ref_table is not None and fk.ref_schema is None and \
                    fold_name(fk.ref_table, fk.exact_name) == fold_name(table.name, fk.exact_name):
                out.append(fk)
    return out


def _dropped_keys(plans: dict[str, TablePlan]) -> set[tuple[str, str]]:
    return {(plan.table, op.fk.name_key) for plan in plans.values()
            for step in plan.fk_drop_steps for op in step.ops
            if isinstance(op, DropForeignKey)}


def _unreadable(table: Table, snapshot: Snapshot, target: Target) -> Note | None:
    """Why the rollback could not re-create ``table`` as it is, or None."""
    if cannot_create(table) is not None:
        return Note("migrate.table.not_read", table=table.name)
    wanted = ["foreign_keys"] + (["checks"] if target.checks else [])
    lacking = [kind for kind in wanted if kind not in snapshot.objects]
    if lacking or table.options is None:
        return Note("migrate.table.not_read", table=table.name)
    return None


def plan_dropped(plans: dict[str, TablePlan], findings: list, snapshot: Snapshot,
                 target: Target, options: TableOptions) -> list[TablePlan]:
    """The drops (or staged renames) of the tables only the env has; returns the tables of
    a staged drop's step 2. Called once the other findings are planned (their foreign-key
    drops are known)."""
    extra = {f.env_table.name: f.env_table for f in findings}
    later: list[TablePlan] = []
    ready: list[Table] = []
    for table in extra.values():
        plan = _plan_of(plans, table.name, table.size_bytes)
        step = Step([DropTable(table)], TABLE_EXTRA, table.name)
        if not options.drop_extra:
            plan.table_held.append(Held(step, "table_not_dropped"))
            continue
        reason = _unreadable(table, snapshot, target)
        if reason is not None:
            plan.table_held.append(Held(step, "table_not_dropped_unread", reason,
                                        commented=False))
            continue
        ready.append(table)
    # A key of a kept table that references a dropped one must go first; the tables
    # dropped with it take theirs along (their own keys are dropped in the first phase).
    going = {t.name for t in ready}
    while True:
        dropped = _dropped_keys(plans)
        blocked = {}
        for table in ready:
            for fk in _referencing(snapshot, table):
                if fk.table not in going and (fk.table, fk.name_key) not in dropped:
                    blocked.setdefault(table.name, fk)
        if not blocked:
            break
        for name, fk in blocked.items():
            table = extra[name]
            ready.remove(table)
            going.discard(name)
            plans[name].table_held.append(Held(
                Step([DropTable(table)], TABLE_EXTRA, name), "table_referenced",
                Note("migrate.table.referenced", name=fk.name, table=fk.table),
                commented=False))
    # A table under a holding name already waited through a staged drop's step 1: it is
    # dropped, not renamed again.
    staged_names = {t.name: holding_name(t.name, options.version or "0",
                                         options.max_holding_name)
                    for t in ready if not t.name.startswith(HOLDING_PREFIX)
                    } if options.staged_drop else {}
    for table in ready:
        plan = plans[table.name]
        if table.name in staged_names:
            holding = staged_names[table.name]
            plan.table_steps.append(Step([RenameTable(table.name, holding, table)],
                                         TABLE_EXTRA, table.name))
            later.append(_step2_plan(table, holding, staged_names, options))
            continue
        plan.fk_drop_steps += _own_key_drops(table, target)
        plan.table_steps.append(Step([DropTable(table, stored_texts(snapshot, table))],
                                     TABLE_EXTRA, table.name))
    return later


def _rebuilt_keys(plans: dict[str, TablePlan]) -> dict[str, set[str]]:
    """Table -> the tables (lower case) its planned rebuild's foreign keys reference
    (SQLite): a key of the same name may point elsewhere after the rebuild."""
    out: dict[str, set[str]] = {}
    for plan in plans.values():
        for step in plan.steps:
            for op in step.ops:
                if isinstance(op, RebuildTable):
                    out[plan.table] = {(fk.ref_table or "").lower()
                                       for fk in op.target.foreign_keys if fk.ref_schema is None}
    return out


def release_rebuilt(plans: dict[str, TablePlan], snapshot: Snapshot,
                    options: TableOptions) -> None:
    """Write the drop of an extra table held only for kept tables' foreign keys to it
    that their rebuilds drop (SQLite drops a key by rebuilding its table, which is
    planned once the drops are: plan/rebuild.py). The script's foreign keys are off
    around the rebuild, so the drop may come before or after it. Not with
    ``--staged-drop`` (its renames are planned with the drops): held as before."""
    if options.staged_drop:
        return
    kept = _rebuilt_keys(plans)
    for plan in plans.values():
        for held in [h for h in plan.table_held if h.why == "table_referenced"]:
            table = next(op.table for op in held.step.ops if isinstance(op, DropTable))
            going = {p.table for p in plans.values() for step in p.table_steps
                     for op in step.ops if isinstance(op, DropTable)} | {table.name}
            if all(fk.table in going or (fk.table in kept and table.name.lower() not in
                                         kept[fk.table]) for fk in _referencing(snapshot, table)):
                plan.table_held.remove(held)
                plan.table_steps.append(Step([DropTable(table, stored_texts(snapshot, table))],
                                             TABLE_EXTRA, table.name))


def _own_key_drops(table: Table, target: Target) -> list[Step]:
    """The table's own foreign keys, dropped in the first phase (and added back by the
    rollback after every table exists again); none where CREATE TABLE writes them."""
    if inline_foreign_keys(target):
        return []
    return [Step([DropForeignKey(fk)], TABLE_EXTRA, fk.name) for fk in table.foreign_keys]


def _step2_plan(table: Table, holding: str, staged: dict[str, str],
                options: TableOptions) -> TablePlan:
    """Step 2 of a staged drop of ``table``: the table as step 1 left it (under its holding
    name, its keys pointing at the holding names of the other tables staged with it),
    its keys dropped first, then the table."""
    assert options.renamed_table is not None
    moved = options.renamed_table(table, holding)
    keys = tuple(replace(fk, ref_table=staged[fk.ref_table])
                 if fk.ref_schema is None and fk.ref_table in staged and fk.ref_table
                 != table.name else fk for fk in moved.foreign_keys)
    moved = replace(moved, foreign_keys=keys)
    plan = TablePlan(holding, size_bytes=table.size_bytes)
    plan.table_steps.append(Step([DropTable(moved)], TABLE_EXTRA, holding))
    return plan


def finish_step2(later: list[TablePlan], target: Target) -> None:
    """Step 2's own-key drops (first phase), once every staged table is known."""
    for plan in later:
        for step in plan.table_steps:
            for op in step.ops:
                if isinstance(op, DropTable):
                    plan.fk_drop_steps += _own_key_drops(op.table, target)


def _dropped_table(plan: TablePlan) -> Table | None:
    ops = [op for step in plan.table_steps for op in step.ops if isinstance(op, DropTable)]
    return ops[0].table if ops else None


def order_drops(plans: list[TablePlan]) -> None:
    """Put the plans of dropped tables (in the places they hold among ``plans``) children
    first: SQLite keeps a table's foreign keys in its CREATE TABLE, and under ``PRAGMA
    foreign_keys=ON`` a parent dropped before a child that still holds rows fails. Tables
    in a cycle keep their order (foreign keys off, or no rows, is then the user's)."""
    slots = [n for n, plan in enumerate(plans) if _dropped_table(plan) is not None]
    waiting = [plans[n] for n in slots]
    ordered: list[TablePlan] = []
    while waiting:
        # A table no other waiting table references goes next (a child before its parent).
        free = next((plan for plan in waiting if not any(
            fk.ref_table == plan.table and fk.table != plan.table
            for other in waiting if other is not plan
            for fk in (_dropped_table(other) or Table("")).foreign_keys)), None)
        chosen = free if free is not None else waiting[0]
        ordered.append(chosen)
        waiting.remove(chosen)
    for n, plan in zip(slots, ordered, strict=True):
        plans[n] = plan
