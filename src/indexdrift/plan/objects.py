"""Foreign keys, CHECK constraints and table options in a migration (issue 20), and the
order of one env's changes across its tables (data; no SQL here).

Each finding becomes steps in the env's phases (plan/ops.PHASES):

- foreign keys: an extra one is dropped in the first phase (only with --drop-extra, else
  held like an extra index), a missing one added in the last, a changed one both (dropped
  first, its new definition added last), a renamed one renamed where the target can
  (PostgreSQL ``RENAME CONSTRAINT``) or dropped and added;
- checks: drops before the table's column step (a dropped column takes its checks along),
  adds and renames after its index steps; a changed check is a drop and an add;
- table options: one SetTableOptions of the changed options, with the index steps.

Then ``settle`` orders the env as a whole: a foreign key that depends on an index the plan
drops or replaces (PostgreSQL's ``referenced_by``) is dropped first and added back last
when the env's foreign keys were read completely and the new index serves it, instead of
refusing the index change (the same for a key on a column whose type InnoDB cannot change
under it, either side); safety (plan/safety.py) checks each table against the foreign
keys that are still there; and no statement is written that would fail because of drift
the run did not look at: an index or a foreign key on a column the env does not have, a
foreign key whose parent table or key is not there, a column drop a foreign key needs.
Those are held back with the reason and the ``--objects`` that fixes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from indexdrift.core.target import Target
from indexdrift.model.kinds import (
    CHECK_CHANGED,
    CHECK_EXTRA,
    CHECK_MISSING,
    CHECK_RENAMED,
    FOREIGN_KEY_EXTRA,
    FOREIGN_KEY_MISSING,
    FOREIGN_KEY_RENAMED,
    OPTIONS_CHANGED,
)
from indexdrift.model.tables import (
    TABLE_OPTIONS,
    CheckConstraint,
    ForeignKey,
    Index,
    Table,
    fold_name,
)
from indexdrift.plan.notes import Note
from indexdrift.plan.ops import (
    AddCheck,
    AddColumn,
    AddForeignKey,
    DropCheck,
    DropColumn,
    DropForeignKey,
    Held,
    ModifyColumn,
    RenameColumn,
    RenameConstraint,
    SetTableOptions,
    Step,
    TablePlan,
    added_indexes,
)
from indexdrift.plan.safety import (
    apply_steps,
    hold_unsafe_steps,
    referencing_foreign_keys,
    supports_foreign_key,
)
from indexdrift.plan.table_ops import CreateTable, DropTable, RenameTable

# Step.reason of a foreign key dropped and added back around a change of an index it
# depends on (it is not drift itself).
AROUND = "foreign_key_around"


@dataclass(slots=True)
class Options:
    """What the constraint planning needs of the run's PlanOptions."""

    drop_extra: bool = False


def foreign_key_unsupported(fk: ForeignKey, target: Target) -> str | None:
    """Why ``fk`` cannot be added on ``target`` as defined, or None."""
    if not target.constraint_options and (fk.deferrable or fk.match != "SIMPLE"
                                          or not fk.valid):
        return Note("migrate.detail.fk_options", target=target.label)
    return None


def check_unsupported(check: CheckConstraint, target: Target) -> str | None:
    """Why ``check`` cannot be added (or dropped) on ``target`` as defined, or None."""
    if not target.checks:
        return Note("migrate.detail.no_checks", target=target.label)
    if check.column is not None:
        return Note("migrate.detail.column_check", column=check.column)
    if not check.enforced and not target.not_enforced_checks:
        return Note("migrate.detail.not_enforced", target=target.label)
    if not target.constraint_options and (check.no_inherit or not check.valid):
        return Note("migrate.detail.check_options", target=target.label)
    return None


@dataclass(slots=True)
class _Placed:
    """The steps of one finding by phase, or the one Held that keeps them all back."""

    drop_fk: list[Step] = field(default_factory=list)
    pre: list[Step] = field(default_factory=list)
    main: list[Step] = field(default_factory=list)
    add_fk: list[Step] = field(default_factory=list)

    def ops(self) -> list:
        return [op for steps in (self.drop_fk, self.pre, self.main, self.add_fk)
                for step in steps for op in step.ops]


def _foreign_key_steps(finding, target: Target) -> _Placed:
    base, mine = finding.baseline_fk, finding.current_fk
    name = finding.constraint or ""
    placed = _Placed()
    if finding.kind == FOREIGN_KEY_MISSING:
        placed.add_fk.append(Step([AddForeignKey(base)], finding.kind, name))
    elif finding.kind == FOREIGN_KEY_EXTRA:
        placed.drop_fk.append(Step([DropForeignKey(mine)], finding.kind, name))
    elif finding.kind == FOREIGN_KEY_RENAMED and target.rename_constraint \
            and base.valid == mine.valid:
        placed.main.append(Step([RenameConstraint(mine, base)], finding.kind, name))
    else:  # changed, or renamed where the target cannot rename
        placed.drop_fk.append(Step([DropForeignKey(mine)], finding.kind, name))
        placed.add_fk.append(Step([AddForeignKey(base)], finding.kind, name))
    return placed


def _check_steps(finding, target: Target) -> _Placed:
    base, mine = finding.baseline_check, finding.current_check
    name = finding.constraint or ""
    placed = _Placed()
    if finding.kind == CHECK_MISSING:
        placed.main.append(Step([AddCheck(base)], finding.kind, name))
    elif finding.kind == CHECK_EXTRA:
        placed.pre.append(Step([DropCheck(mine)], finding.kind, name))
    elif finding.kind == CHECK_RENAMED and target.rename_constraint and base.valid == mine.valid:
        placed.main.append(Step([RenameConstraint(mine, base)], finding.kind, name))
    else:  # changed, or renamed where the target cannot rename
        placed.pre.append(Step([DropCheck(mine)], finding.kind, name))
        placed.main.append(Step([AddCheck(base)], finding.kind, name))
    return placed


def _option_steps(finding, target: Target) -> _Placed:
    base = finding.baseline_table.options or {}
    mine = finding.env_table.options or {}
    family = target.dialect.name
    order = [o for o in TABLE_OPTIONS.get(family, ()) if o in finding.changes]
    order += [o for o in finding.changes if o not in order]
    op = SetTableOptions(finding.table, tuple((o, mine[o]) for o in order),
                         tuple((o, base[o]) for o in order))
    return _Placed(main=[Step([op], finding.kind, finding.table)])


# Table option values besides comments are words (engines, character sets, collations,
# row formats, persistence): anything else in a source is never written as SQL.
_OPTION_WORD = re.compile(r"[A-Za-z0-9_]+")


def option_unsupported(op: SetTableOptions) -> str | None:
    """Why ``op`` is not written: a value (either way) that is not a plain word."""
    for option, value in (*op.before, *op.after):
        if option != "comment" and not _OPTION_WORD.fullmatch(value):
            return Note("migrate.detail.option_value", option=option)
    return None


def _why_not(finding, placed: _Placed, target: Target) -> tuple[str, str] | None:
    """(Held.why, detail) when the finding's steps cannot be written for ``target``."""
    if target.constraints_need_rebuild:
        return "table_rebuild", ""
    for op in placed.ops():
        reason = None
        if isinstance(op, SetTableOptions):
            reason = option_unsupported(op)
        if isinstance(op, AddForeignKey):
            reason = foreign_key_unsupported(op.fk, target)
        elif isinstance(op, (AddCheck, DropCheck)):
            reason = check_unsupported(op.check, target)
        elif isinstance(op, RenameConstraint) and isinstance(op.new, CheckConstraint):
            reason = check_unsupported(op.new, target) or check_unsupported(op.old, target)
        if reason:
            return "unsupported", reason
    return None


def _column_check_op(finding, table_plan: TablePlan, target: Target) -> ModifyColumn | None:
    """A CHECK written in a column's definition (MariaDB) changes with that definition: the
    env's column re-written with the baseline's check (or without one), when the env's
    columns (and the column's own check, for a change or a drop) were read and no column
    step rewrites that column already. None when it cannot be done so."""
    base, mine = finding.baseline_check, finding.current_check
    check = base or mine
    env_table = finding.env_table
    if (check is None or check.column is None or target.constraints_need_rebuild
            or finding.kind == CHECK_RENAMED or env_table is None or env_table.columns is None):
        return None
    if base is not None and mine is not None and base.column != mine.column:
        return None
    key = fold_name(check.column, check.exact_name)
    current = next((c for c in env_table.columns.values()
                    if fold_name(c.name, check.exact_name) == key), None)
    if current is None or (mine is not None and current.check != mine.expression):
        return None  # the column's own check was not read: re-writing it could lose it
    if any(isinstance(op, (ModifyColumn, RenameColumn, DropColumn, AddColumn))
           and fold_name((op.current if isinstance(op, (ModifyColumn, RenameColumn))
                      else op.column).name, check.exact_name) == key
           for step in (*table_plan.column_steps, *(h.step for h in table_plan.column_held))
           for op in step.ops):
        return None
    if base is not None and (not base.enforced or not base.valid or base.no_inherit):
        return None
    return ModifyColumn(current, replace(current, check=base.expression if base else None))


def plan_constraints(table_plan: TablePlan, findings: Iterable, target: Target,
                     options: Options) -> None:
    """Place the steps of a table's foreign-key, check and option findings in its plan
    (phases), or hold them back: unsupported by the target, or an extra constraint without
    --drop-extra (its statement shown, commented out). A MariaDB check written in a
    column's definition becomes a MODIFY COLUMN of that column in the table's column step."""
    for finding in findings:
        column_op = (_column_check_op(finding, table_plan, target)
                     if finding.kind in (CHECK_MISSING, CHECK_EXTRA, CHECK_CHANGED) else None)
        if column_op is not None:
            step = Step([column_op], finding.kind, finding.constraint or "")
            if finding.kind == CHECK_EXTRA and not options.drop_extra:
                table_plan.held.append(Held(step, "extra_not_dropped"))
            elif table_plan.column_steps:
                table_plan.column_steps[0].ops.append(column_op)
            else:
                table_plan.column_steps.append(Step([column_op], "columns", ""))
            continue
        if finding.kind == OPTIONS_CHANGED:
            placed = _option_steps(finding, target)
        elif finding.baseline_fk is not None or finding.current_fk is not None:
            placed = _foreign_key_steps(finding, target)
        else:
            placed = _check_steps(finding, target)
        refused = _why_not(finding, placed, target)
        if refused is not None:
            why, detail = refused
            table_plan.held.append(Held(Step(placed.ops(), finding.kind, finding.constraint
                                             or ""), why, detail))
            continue
        if finding.kind in (FOREIGN_KEY_EXTRA, CHECK_EXTRA) and not options.drop_extra:
            table_plan.held.append(Held(Step(placed.ops(), finding.kind,
                                             finding.constraint or ""), "extra_not_dropped"))
            continue
        table_plan.fk_drop_steps += placed.drop_fk
        table_plan.before_columns += placed.pre
        table_plan.steps += placed.main
        table_plan.fk_add_steps += placed.add_fk


# --- the env as a whole ------------------------------------------------------------------


def _key(table: str, name_key: str) -> tuple[str, str]:
    return (table, name_key)


def _ops(steps: list[Step], kind) -> list:
    return [op for step in steps for op in step.ops if isinstance(op, kind)]


class _Env:
    """The env's tables, its plans and what the plans do to its foreign keys."""

    def __init__(self, tables: dict[str, TablePlan], snapshot, target: Target,
                 make_plan: Callable[[Table], TablePlan], tables_compared: bool = False) -> None:
        self.plans = tables
        # --objects compares tables: a missing parent is one the run could not create.
        self.tables_compared = tables_compared
        self.snapshot = snapshot
        self.target = target
        self.make_plan = make_plan
        # The env's foreign keys with every field, when its source read them completely.
        self.fks_known = "foreign_keys" in snapshot.objects
        # Whole tables (plan/whole_tables.py): those the middle phase creates, and the
        # env's tables it drops or renames away.
        ops = [op for plan in tables.values() for step in plan.table_steps for op in step.ops]
        self.created = {op.table.name: op.table for op in ops if isinstance(op, CreateTable)}
        self.gone = {op.table.name if isinstance(op, DropTable) else op.old for op in ops
                     if isinstance(op, (DropTable, RenameTable))}

    def plan_of(self, table: str) -> TablePlan:
        found = self.plans.get(table)
        if found is None:
            found = self.plans[table] = self.make_plan(self.snapshot.tables[table])
        return found

    def dropped(self) -> set[tuple[str, str]]:
        """The env's foreign keys the first phase drops (table, name_key)."""
        return {_key(tp.table, op.fk.name_key) for tp in self.plans.values()
                for op in _ops(tp.fk_drop_steps, DropForeignKey)}

    def remaining(self) -> list[ForeignKey]:
        """The env's foreign keys still there during the middle phase."""
        gone = self.dropped()
        return [fk for table in self.snapshot.tables.values() for fk in table.foreign_keys
                if _key(fk.table, fk.name_key) not in gone]

    def after(self, table: str) -> dict[str, Index]:
        """The table's indexes once the middle phase ran."""
        if table in self.created:
            return dict(self.created[table].indexes)
        env_table = self.snapshot.tables.get(table)
        if env_table is None:
            return {}
        plan = self.plans.get(table)
        return apply_steps(env_table.indexes, plan.steps if plan else [])

    def columns_after(self, table: str) -> set[str] | None:
        """The table's column names (name keys) once its column step ran; None when the
        env's columns were not read."""
        if table in self.created:
            return set(self.created[table].columns or {})
        env_table = self.snapshot.tables.get(table)
        if env_table is None or env_table.columns is None:
            return None
        names = set(env_table.columns)
        plan = self.plans.get(table)
        for op in (op for step in (plan.column_steps if plan else []) for op in step.ops):
            if isinstance(op, AddColumn):
                names.add(op.column.name_key)
            elif isinstance(op, DropColumn):
                names.discard(op.column.name_key)
            elif isinstance(op, (RenameColumn, ModifyColumn)):
                names.discard(op.current.name_key)
                names.add(op.target.name_key)
        return names


def _labels(fks: Iterable[ForeignKey], parent: Table) -> dict[str, ForeignKey]:
    """The env's foreign keys by the ``[table.]name`` labels of ``Table.referenced_by``."""
    return {f"{fk.table}.{fk.name}": fk for fk in fks if fk.ref_table is not None
            and fk.ref_schema is None and fold_name(fk.ref_table, fk.exact_name)
            == fold_name(parent.name, fk.exact_name)}


def serves_parent(index: Index, fk: ForeignKey, rule: str) -> bool:
    """True when ``index`` is a key ``fk``'s parent may use: ``leading`` (InnoDB: the
    referenced columns lead it, in order, unprefixed) or ``unique`` (a valid unique,
    non-partial, non-deferrable index on exactly the referenced columns)."""
    cols = [fold_name(c, fk.exact_name) for c in fk.ref_columns]
    parts = [p.column_key if p.column is not None else None for p in index.parts]
    if rule == "leading":
        return (index.index_type not in ("FULLTEXT", "SPATIAL") and len(parts) >= len(cols)
                and all(p == c and part.sub_part is None
                        for p, c, part in zip(parts, cols, index.parts, strict=False)))
    return (index.unique and index.valid and index.predicate is None and not index.deferrable
            and None not in parts and sorted(parts) == sorted(cols))  # type: ignore[type-var]


def _around_index_changes(env: _Env) -> None:
    """Foreign keys that depend on an index the middle phase drops or replaces (PostgreSQL
    ``referenced_by``): dropped first and added back last, when the env's foreign keys
    are known and the table's new indexes serve them; else safety refuses the change."""
    if not env.fks_known:
        return
    gone = env.dropped()
    for name, plan in list(env.plans.items()):
        parent = env.snapshot.tables.get(name)
        if parent is None or not parent.referenced_by:
            continue
        labels = _labels(env.remaining(), parent)
        after = env.after(name)
        for step in plan.steps:
            for label in referencing_foreign_keys(step, parent):
                fk = labels.get(label)
                if fk is None or _key(fk.table, fk.name_key) in gone:
                    continue
                if not any(serves_parent(ix, fk, "unique") for ix in after.values()):
                    continue
                _drop_and_re_add(env, fk)
                gone.add(_key(fk.table, fk.name_key))


def _around_persistence(env: _Env) -> None:
    """PostgreSQL refuses SET LOGGED / UNLOGGED while a foreign key joins the table to one
    of the other persistence: the keys of a table whose persistence changes (its own and
    those that reference it) are dropped first and added back last (keys known)."""
    if not env.fks_known:
        return
    changing = {name for name, plan in env.plans.items()
                if any(op.value("persistence") is not None
                       for op in _ops(plan.steps, SetTableOptions))}
    if not changing:
        return
    gone = env.dropped()
    for fk in env.remaining():
        parent = _local_parent(env, fk)
        if (fk.table in changing or parent in changing) and \
                _key(fk.table, fk.name_key) not in gone:
            _drop_and_re_add(env, fk)
            gone.add(_key(fk.table, fk.name_key))


def _retyped_columns(plan: TablePlan) -> set[str]:
    """Name keys of the env columns whose type, character set or collation the table's
    column step changes."""
    return {op.current.name_key for op in _ops(plan.column_steps, ModifyColumn)
            if (op.current.column_type, op.current.charset, op.current.collation)
            != (op.target.column_type, op.target.charset, op.target.collation)}


def _around_column_changes(env: _Env) -> None:
    """InnoDB refuses to change the type of a column a foreign key uses (its own or the
    referenced one) while the key exists: such keys are dropped first and added back last
    (keys known)."""
    if not env.fks_known or not env.target.foreign_key_columns_fixed:
        return
    retyped = {name: cols for name, plan in env.plans.items()
               if (cols := _retyped_columns(plan))}
    if not retyped:
        return
    gone = env.dropped()
    for fk in env.remaining():
        parent = _local_parent(env, fk)
        uses = {c.lower() for c in fk.columns} & retyped.get(fk.table, set())
        uses |= {c.lower() for c in fk.ref_columns} & retyped.get(parent or "", set())
        if uses and _key(fk.table, fk.name_key) not in gone:
            _drop_and_re_add(env, fk)
            gone.add(_key(fk.table, fk.name_key))


def _drop_and_re_add(env: _Env, fk: ForeignKey) -> None:
    """Drop ``fk`` in the first phase and add it (or the name its rename gives it) back in
    the last; a planned rename of it becomes part of that."""
    plan = env.plan_of(fk.table)
    final = fk
    for step in list(plan.steps):
        renames = [op for op in step.ops if isinstance(op, RenameConstraint)
                   and isinstance(op.old, ForeignKey) and op.old.name_key == fk.name_key]
        if renames:
            plan.steps.remove(step)
            final = renames[0].new
            plan.fk_drop_steps.append(Step([DropForeignKey(fk)], step.reason, step.index_name))
            plan.fk_add_steps.append(Step([AddForeignKey(final)], step.reason, step.index_name))
            return
    plan.fk_drop_steps.append(Step([DropForeignKey(fk)], AROUND, fk.name))
    plan.fk_add_steps.append(Step([AddForeignKey(final)], AROUND, fk.name))


def _hold(plan: TablePlan, step: Step, why: str, detail: str, pool: list[Step]) -> None:
    pool.remove(step)
    plan.held.append(Held(step, why, detail, commented=False))


def _objects_note(key: str, hint: str | None, **values) -> Note:
    """``key``'s detail, with the ``--objects`` that would let the migration do it."""
    detail = Note(key, **values)
    if hint is None:
        return detail
    return Note("migrate.detail.joined", first=detail, second=Note(hint))


def _hold_index_steps_without_columns(env: _Env) -> None:
    """An index step on a column the env does not have (its columns known) would fail:
    held, naming the column and ``--objects columns``."""
    for name, plan in env.plans.items():
        have = env.columns_after(name)
        if have is None:
            continue
        for step in list(plan.steps):
            needed = [(p.column, p.column_key) for ix in added_indexes(step.ops)
                      for p in ix.parts if p.column is not None]
            needed += [(c, c if ix.exact_name else c.lower())
                       for ix in added_indexes(step.ops) for c in ix.include]
            lacking = sorted({col for col, key in needed if key not in have})
            if lacking:
                _hold(plan, step, "needs_column", _objects_note(
                    "migrate.detail.needs_column", "migrate.detail.objects_columns",
                    columns=", ".join(lacking)), plan.steps)


def _hold_column_drops_of_foreign_keys(env: _Env) -> None:
    """A column drop that a remaining foreign key uses fails (MySQL) or takes the key
    along (PostgreSQL): held, naming the key (and ``--objects foreign_keys`` when the
    env's keys were not read)."""
    remaining = env.remaining()
    uses: dict[tuple[str, str], str] = {}
    for fk in remaining:
        for col in fk.columns:
            uses.setdefault((fk.table, fold_name(col, fk.exact_name)), fk.name)
        if fk.ref_table is not None and fk.ref_schema is None:
            parent = _table_named(env, fk.ref_table, fk.exact_name)
            for col in fk.ref_columns:
                if parent is not None:
                    uses.setdefault((parent, fold_name(col, fk.exact_name)), fk.name)
    if not uses:
        return
    hint = None if env.fks_known else "migrate.detail.objects_foreign_keys"
    for name, plan in env.plans.items():
        for step in list(plan.column_steps):
            for op in list(step.ops):
                if not isinstance(op, DropColumn):
                    continue
                key = op.column.name_key
                fk_name = uses.get((name, key)) or uses.get((name, key.lower()))
                if fk_name is None:
                    continue
                step.ops.remove(op)
                plan.column_held.append(Held(Step([op], step.reason, ""), "fk_column",
                                             _objects_note("migrate.detail.fk_column", hint,
                                                           name=fk_name,
                                                           column=op.column.name),
                                             commented=False))
            if not step.ops:
                plan.column_steps.remove(step)


def _table_named(env: _Env, name: str, exact: bool) -> str | None:
    """The table called ``name`` once the middle phase ran (created ones in, dropped and
    renamed ones out), or None."""
    names = [t for t in (*env.snapshot.tables, *env.created) if t not in env.gone]
    if name in names:
        return name
    if exact:
        return None
    found = [t for t in names if t.lower() == name.lower()]
    return found[0] if len(found) == 1 else None


def _local_parent(env: _Env, fk: ForeignKey) -> str | None:
    """The table of this schema ``fk`` references, once the middle phase ran, or None (a
    key to another schema's table)."""
    if fk.ref_table is None or fk.ref_schema is not None:
        return None
    return _table_named(env, fk.ref_table, fk.exact_name)


def _foreign_key_add_problem(env: _Env, fk: ForeignKey) -> tuple[str, str] | None:
    """Why adding ``fk`` in the last phase would fail (or leave drift), or None."""
    child_columns = env.columns_after(fk.table)
    if child_columns is not None:
        lacking = [c for c in fk.columns if fold_name(c, fk.exact_name) not in child_columns
                   and c.lower() not in child_columns]
        if lacking:
            return "needs_column", _objects_note("migrate.detail.needs_column",
                                                 "migrate.detail.objects_columns",
                                                 columns=", ".join(lacking))
    if fk.ref_schema is not None or fk.ref_table is None:
        return None  # another schema: not read here
    parent = _table_named(env, fk.ref_table, fk.exact_name)
    if parent is None:
        return "parent_missing", _objects_note(
            "migrate.detail.parent_missing",
            None if env.tables_compared else "migrate.detail.objects_tables", table=fk.ref_table)
    parent_columns = env.columns_after(parent)
    if parent_columns is not None:
        lacking = [c for c in fk.ref_columns if fold_name(c, fk.exact_name) not in parent_columns
                   and c.lower() not in parent_columns]
        if lacking:
            return "needs_column", _objects_note("migrate.detail.needs_column",
                                                 "migrate.detail.objects_columns",
                                                 columns=", ".join(lacking))
    rule = env.target.parent_key
    if not any(serves_parent(ix, fk, rule) for ix in env.after(parent).values()):
        return "needs_parent_key", Note("migrate.detail.parent_key", table=parent,
                                        columns=", ".join(fk.ref_columns))
    if rule == "leading" and not any(supports_foreign_key(ix, fk)
                                     for ix in env.after(fk.table).values()):
        # InnoDB would create an index of its own for the key: drift, and a rollback
        # that leaves it behind.
        return "needs_index", Note("migrate.detail.fk_index", columns=", ".join(fk.columns))
    return None


def _hold_foreign_key_adds(env: _Env) -> bool:
    """Hold the last phase's foreign keys that would fail (and the drop of the same
    finding, so the env keeps its own); True when a drop was held (the middle phase must
    be checked again against the key that stays)."""
    dropped_back = False
    for plan in env.plans.values():
        for step in list(plan.fk_add_steps):
            problems = [p for p in (_foreign_key_add_problem(env, op.fk)
                                    for op in step.ops if isinstance(op, AddForeignKey)) if p]
            if not problems:
                continue
            why, detail = problems[0]
            plan.fk_add_steps.remove(step)
            pair = [s for s in plan.fk_drop_steps if s.reason == step.reason
                    and s.index_name == step.index_name]
            for drop in pair:
                plan.fk_drop_steps.remove(drop)
                dropped_back = True
            ops = [op for s in pair for op in s.ops] + list(step.ops)
            plan.held.append(Held(Step(ops, step.reason, step.index_name), why, detail,
                                  commented=False))
    return dropped_back


def _safety_view(env: _Env, table: Table) -> tuple[Table, tuple[ForeignKey, ...]]:
    """The env table as safety sees it during the middle phase: without the foreign keys
    the first phase drops (neither its own nor those that depend on its indexes), and the
    remaining keys of any table that reference it (when the env's keys are known)."""
    gone = env.dropped()
    own = tuple(fk for fk in table.foreign_keys if _key(fk.table, fk.name_key) not in gone)
    labels = {f"{t}.{name}" for t, name in _names_of(env, gone)}
    referenced = {k: kept for k, v in table.referenced_by.items()
                  if (kept := tuple(d for d in v if d not in labels))}
    view = replace(table, foreign_keys=own, referenced_by=referenced)
    parents: tuple[ForeignKey, ...] = ()
    if env.fks_known and env.target.parent_key == "leading":
        parents = tuple(fk for fk in env.remaining() if fk.ref_table is not None
                        and fk.ref_schema is None
                        and _table_named(env, fk.ref_table, fk.exact_name) == table.name)
    return view, parents


def _names_of(env: _Env, keys: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """(table, exact name) of the env's foreign keys with these (table, name_key)s."""
    return [(fk.table, fk.name) for t in env.snapshot.tables.values() for fk in t.foreign_keys
            if _key(fk.table, fk.name_key) in keys]


def settle(tables: dict[str, TablePlan], snapshot, target: Target,
           make_plan: Callable[[Table], TablePlan], *, tables_compared: bool = False) -> None:
    """Order the env's plans across its tables (see the module docstring): foreign keys
    around the index changes they depend on, the objects rule, then safety, until what is
    held no longer changes what the others may do. ``make_plan`` makes the plan of a
    table that had no finding (a foreign key of it is dropped and added back);
    ``tables_compared``: --objects compares tables (tables are created and dropped)."""
    env = _Env(tables, snapshot, target, make_plan, tables_compared)
    _around_index_changes(env)
    _around_persistence(env)
    _around_column_changes(env)
    _hold_index_steps_without_columns(env)
    _hold_column_drops_of_foreign_keys(env)
    for _ in range(len(tables) + 2):
        for name, plan in env.plans.items():
            env_table = snapshot.tables.get(name)
            if env_table is not None:
                view, parents = _safety_view(env, env_table)
                hold_unsafe_steps(plan, view, rebinds=target.foreign_keys_rebind,
                                  fk_index=target.foreign_keys_need_index, parents=parents)
        if not _hold_foreign_key_adds(env):
            break
