"""Plan, per env, the operations that make it match the baseline (data; no SQL here)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import reduce

from indexdrift.compare.tables import (
    CHANGED,
    COLUMN_EXTRA,
    COLUMN_MISSING,
    EXTRA,
    MISSING,
    RENAMED,
    TABLE_EXTRA,
    TABLE_MISSING,
    Comparison,
    Finding,
)
from indexdrift.core.target import Target
from indexdrift.model.kinds import CHECKS, FOREIGN_KEYS, TABLES
from indexdrift.model.tables import Index, Table
from indexdrift.plan.notes import Note
from indexdrift.plan.objects import Options as ConstraintOptions
from indexdrift.plan.objects import plan_constraints, settle
from indexdrift.plan.ops import (
    AddColumn,
    AddIndex,
    ColumnOperation,
    DropColumn,
    DropIndex,
    Held,
    ModifyColumn,
    RenameColumn,
    RenameIndex,
    ReplaceIndex,
    SetVisibility,
    Step,
    TablePlan,
    added_indexes,
    dropped_indexes,
)
from indexdrift.plan.rebuild import plan_rebuilds
from indexdrift.plan.staged import can_stage, split_staged
from indexdrift.plan.whole_tables import (
    TableOptions,
    finish_step2,
    order_drops,
    plan_created,
    plan_dropped,
    release_rebuilt,
)


@dataclass(slots=True)
class PlanOptions:
    """What the user asked for."""

    drop_extra: bool = False
    online: bool = True
    large_table_bytes: int = 1 << 30  # tables above this get pt-osc / gh-ost advice
    staged_drop: bool = False  # hide first, drop in a later migration (migrate/staged.py)
    # --objects compares tables: missing ones are created, extra ones dropped (with
    # drop_extra) instead of being only reported (plan/whole_tables.py).
    tables: bool = False
    # The migration's version: a staged drop's holding table names it (holding_name).
    version: str = ""


@dataclass(slots=True)
class EnvPlan:
    """All steps for one env, by table, plus what is only reported."""

    env: str
    baseline: str
    target: Target
    schema: str | None
    tables: list[TablePlan] = field(default_factory=list)
    # table missing / extra, when --objects does not compare tables
    reported: list[Finding] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    safety_known: bool = True  # FK / AUTO_INCREMENT facts were available (live source)
    stage: int = 0  # 1 or 2 for a staged drop (--staged-drop), else 0
    later: EnvPlan | None = None  # step 2 of a staged drop: the drops step 1 hid

    @property
    def is_empty(self) -> bool:
        """True when nothing at all is to be applied."""
        return not any(t.has_steps for t in self.tables)


def unchangeable_reason(index: Index, target: Target) -> str | None:
    """Why ``index`` can be neither created nor dropped by a generated migration, or None."""
    if index.constraint == "x" and any(p.operator is None for p in index.parts):
        # Catalog CSVs written before EXCLUDE_OPERATOR existed do not know them.
        return Note("migrate.detail.exclude_operators_unknown")
    if target.fixed_constraint_indexes and (index.constraint or index.primary):
        return Note("migrate.detail.sqlite_autoindex")
    return None


def unsupported_reason(index: Index, target: Target) -> str | None:
    """Why ``index`` cannot be created on ``target`` as defined, or None."""
    if not index.valid:
        return Note("migrate.detail.baseline_invalid")
    if not target.versioned_index_features:
        return unchangeable_reason(index, target)
    if any(p.expression is not None for p in index.parts) and not target.functional:
        return Note("migrate.detail.functional", target=target.label)
    if not index.visible and target.visibility is None:
        return Note("migrate.detail.invisible", target=target.label)
    if any(p.descending for p in index.parts) and not target.descending:
        return Note("migrate.detail.descending", target=target.label)
    return None


def _steps_for(finding: Finding, target: Target) -> list[Step]:
    base, mine = finding.baseline, finding.current
    name = finding.index or ""
    if finding.kind == MISSING:
        return [Step([AddIndex(base)], MISSING, name)]
    if finding.kind == EXTRA:
        return [Step([DropIndex(mine)], EXTRA, name)]
    if finding.kind == CHANGED:
        if finding.changes == ["visibility"] and not mine.primary:
            return [Step([SetVisibility(replace(mine, visible=base.visible), mine.visible)],
                         CHANGED, name)]
        return [Step([ReplaceIndex(mine, base)], CHANGED, name)]
    if finding.kind == RENAMED:
        if "comment" in finding.changes or not target.rename_index:
            return [Step([ReplaceIndex(mine, base)], RENAMED, name)]
        renamed = replace(mine, name=base.name)
        steps = [Step([RenameIndex(mine, renamed)], RENAMED, name)]
        if "visibility" in finding.changes:
            # Renaming and changing the visibility of one index in one ALTER fails.
            steps.append(Step([SetVisibility(replace(renamed, visible=base.visible),
                                             renamed.visible)], RENAMED, name, separate=True))
        return steps
    raise ValueError(finding.kind)


def _column_op(finding: Finding) -> ColumnOperation:
    """The operation that takes one column of the env to the baseline's."""
    diff = finding.column_diff
    assert diff is not None
    if finding.kind == COLUMN_MISSING:
        return AddColumn(diff.baseline, diff.after_baseline)
    if finding.kind == COLUMN_EXTRA:
        return DropColumn(diff.current, diff.after_env)
    move = "position" in diff.changes
    if set(diff.changes) - {"position"} == {"name"}:
        return RenameColumn(diff.current, diff.baseline, diff.after_baseline, diff.after_env,
                            move)
    return ModifyColumn(diff.current, diff.baseline, diff.after_baseline, diff.after_env, move)


def _plan_columns(table_plan: TablePlan, findings: list[Finding],
                  options: PlanOptions) -> None:
    """One step of the table's column operations, in baseline column order (extras last);
    an unsafe one (a drop: data loss) is held unless --drop-extra."""
    ops: list[ColumnOperation] = []
    for finding in findings:
        op = _column_op(finding)
        if op.unsafe() is not None and not options.drop_extra:
            table_plan.column_held.append(Held(Step([op], finding.kind, ""), op.unsafe() or ""))
        else:
            ops.append(op)
    if ops:
        table_plan.column_steps.append(Step(list(ops), "columns", ""))
    base_table = findings[0].baseline_table
    table_plan.baseline_columns = base_table.columns if base_table is not None else None


def _table_plan(finding: Finding) -> TablePlan:
    """An empty plan of the finding's table, with the env table's facts."""
    env_table = finding.env_table
    return TablePlan(
        finding.table, size_bytes=env_table.size_bytes if env_table else None,
        engine=_engine(env_table),
        # before or after: the rollback runs on the table the migration leaves
        has_hash=any(ix.index_type == "HASH"
                     for t in (env_table, finding.baseline_table) if t
                     for ix in t.indexes.values()),
        env_order=_env_order(env_table))


def _engine(env_table: Table | None) -> str | None:
    """The env table's storage engine: the live read's, else its table options' (a
    snapshot's), else unknown."""
    if env_table is None:
        return None
    return env_table.engine or (env_table.options or {}).get("engine")


def _env_order(env_table: Table | None) -> dict[tuple[str, str], int]:
    """Where each index and check of the env's table stands in its definition (the
    catalog's order), for a rollback that re-creates them in that order."""
    if env_table is None:
        return {}
    order = {("index", key): n for n, key in enumerate(env_table.indexes)}
    order.update({("check", key): n for n, key in enumerate(env_table.checks or {})})
    return order


def _env_table_plan(env_table: Table) -> TablePlan:
    """An empty plan of a table of the env that had no finding of its own."""
    return TablePlan(env_table.name, size_bytes=env_table.size_bytes, engine=_engine(env_table),
                     has_hash=any(ix.index_type == "HASH" for ix in env_table.indexes.values()),
                     env_order=_env_order(env_table))


def plan_env(comparison: Comparison, env: str, target: Target,
             options: PlanOptions | None = None) -> EnvPlan:
    """Plan the migration of ``env`` towards the baseline on ``target``."""
    options = options or PlanOptions()
    snapshot = comparison.snapshots[env]
    plan = EnvPlan(env, comparison.baseline, target, snapshot.schema)
    plan.safety_known = snapshot.has_details
    by_table: dict[str, TablePlan] = {}
    columns: dict[str, list[Finding]] = {}
    constraints: dict[str, list[Finding]] = {}
    whole: list[Finding] = []
    for finding in comparison.for_env(env):
        plan.findings.append(finding)
        if finding.kind in (TABLE_MISSING, TABLE_EXTRA):
            # Created and dropped when --objects compares tables, else only reported.
            (whole if options.tables else plan.reported).append(finding)
            continue
        table_plan = by_table.get(finding.table)
        if table_plan is None:
            table_plan = by_table[finding.table] = _table_plan(finding)
        if finding.column is not None:
            columns.setdefault(finding.table, []).append(finding)
            continue
        if finding.object_kind in (FOREIGN_KEYS, CHECKS, TABLES):
            constraints.setdefault(finding.table, []).append(finding)
            continue
        for step in _steps_for(finding, target):
            problems = [r for r in (unsupported_reason(ix, target)
                                    for ix in added_indexes(step.ops)) if r]
            problems += [r for r in (unchangeable_reason(ix, target)
                                     for ix in dropped_indexes(step.ops))
                         if r and r not in problems]
            if (target.versioned_index_features and not target.invisible_indexes
                    and any(isinstance(op, SetVisibility) for op in step.ops)):
                problems.append(Note("migrate.detail.cannot_hide", target=target.label))
            if problems:
                table_plan.held.append(Held(step, "unsupported", reduce(
                    lambda first, second: Note("migrate.detail.joined", first=first,
                                               second=second), problems)))
            elif step.reason == EXTRA and any(isinstance(op, DropIndex) and op.index.primary
                                              for op in step.ops):
                table_plan.held.append(Held(step, "primary_alone", commented=True))
            elif step.reason == EXTRA and not options.drop_extra:
                table_plan.held.append(Held(step, "extra_not_dropped"))
            else:
                table_plan.steps.append(step)
    for table, found in columns.items():
        _plan_columns(by_table[table], found, options)
    for table, found in constraints.items():
        plan_constraints(by_table[table], found, target,
                         ConstraintOptions(drop_extra=options.drop_extra))
    later_tables = _plan_whole_tables(by_table, whole, comparison.snapshots[comparison.baseline],
                                      snapshot, target, options)
    # Across tables: foreign keys around what they depend on, what the run did not look
    # at, then each table's safety checks (plan/objects.py).
    settle(by_table, snapshot, target, _env_table_plan, tables_compared=options.tables)
    # SQLite: each table whose changes its ALTER TABLE cannot make is rebuilt, all its
    # changes in one step (plan/rebuild.py).
    plan_rebuilds(by_table, comparison.snapshots[comparison.baseline], snapshot, target,
                  options.drop_extra)
    if options.tables and options.drop_extra:
        release_rebuilt(by_table, snapshot, TableOptions(staged_drop=options.staged_drop))
    for table_plan in by_table.values():
        _separate_steps(table_plan)
        _around_columns(table_plan)
    plan.tables = [by_table[name] for name in sorted(by_table, key=lambda n: (n.lower(), n))]
    order_drops(plan.tables)
    if options.staged_drop:
        _stage_drops(plan, later_tables)
    return plan


def _plan_whole_tables(by_table: dict[str, TablePlan], found: list[Finding], baseline,
                       snapshot, target: Target, options: PlanOptions) -> list[TablePlan]:
    """Creates and drops of whole tables (plan/whole_tables.py); returns the tables of a
    staged drop's step 2."""
    if not found:
        return []
    for finding in found:
        if finding.kind == TABLE_MISSING:
            plan_created(by_table, finding, baseline, target)
    ddl = target.dialect.module("table_ddl")
    table_options = TableOptions(
        drop_extra=options.drop_extra, staged_drop=options.staged_drop,
        version=options.version, max_holding_name=ddl.MAX_HOLDING_NAME,
        renamed_table=lambda table, name: ddl.renamed_table(table, name, target=target))
    later = plan_dropped(by_table, [f for f in found if f.kind == TABLE_EXTRA], snapshot,
                         target, table_options)
    finish_step2(later, target)
    return later


# An identifier in expression text: "quoted" (PostgreSQL), `quoted` (MySQL) or bare.
_IDENTIFIER = re.compile(r'"((?:[^"]|"")+)"|`((?:[^`]|``)+)`|([A-Za-z_][\w$]*)')


def _index_columns(index: Index) -> set[str]:
    """The column keys an index names: key parts, INCLUDE, and every identifier of its
    expressions and predicate (a function's name counts too, which can only move a step
    before the column step, where it is harmless). Bare names fold to lower case (on
    PostgreSQL they are folded when written), quoted ones keep theirs where names are
    exact."""
    found = {p.column_key for p in index.parts if p.column_key is not None} | set(
        index.include_key())
    texts = [p.expression for p in index.parts if p.expression] + [index.predicate or ""]
    for quoted, ticked, bare in (m for text in texts for m in _IDENTIFIER.findall(text)):
        if quoted and index.exact_name:
            found.add(quoted.replace('""', '"'))
        else:
            found.add((quoted.replace('""', '"') or ticked.replace("``", "`") or bare).lower())
    return found


def _around_columns(table_plan: TablePlan) -> None:
    """Index steps that must not run after the column step go before it.

    A column the step drops or renames away takes the env's indexes on it along (MariaDB
    drops an index or shrinks it, refuses while a multi-column UNIQUE one holds it;
    PostgreSQL drops every index naming it, in an expression, a predicate or INCLUDE
    too; both rename it with the column): dropping such an index after
    the column step fails, and its inverse (re-creating it on the env's column) runs
    before the rollback has put that column back. So a step that drops one runs first
    (its inverse last); a replacement whose new index needs a column the step brings is
    split, the old index dropped first and the new one added after.
    """
    if not table_plan.column_steps:
        return
    ops = [op for step in table_plan.column_steps for op in step.ops]
    gone = {op.column.name_key for op in ops if isinstance(op, DropColumn)} | {
        op.current.name_key for op in ops if isinstance(op, (RenameColumn, ModifyColumn))
        and op.current.name_key != op.target.name_key}
    if not gone:
        return
    arriving = {op.column.name_key for op in ops if isinstance(op, AddColumn)} | {
        op.target.name_key for op in ops if isinstance(op, (RenameColumn, ModifyColumn))}
    kept: list[Step] = []
    for step in table_plan.steps:
        if not any(_index_columns(ix) & gone for ix in dropped_indexes(step.ops)):
            kept.append(step)
            continue
        first: list = []
        later: list = []
        for op in step.ops:
            if isinstance(op, ReplaceIndex) and _index_columns(op.new) & arriving:
                first.append(DropIndex(op.old))
                later.append(AddIndex(op.new))
            elif isinstance(op, AddIndex) and _index_columns(op.index) & arriving:
                later.append(op)
            else:
                first.append(op)
        table_plan.before_columns.append(replace(step, ops=first))
        if later:
            kept.append(replace(step, ops=later))
    table_plan.steps = kept


def _separate_steps(table_plan: TablePlan) -> None:
    """Steps that need a statement of their own (visibility after a rename) go last."""
    ops = [op for step in table_plan.steps for op in step.ops]
    if (any(ix.primary for ix in added_indexes(ops))
            != any(ix.primary for ix in dropped_indexes(ops))):
        # Without a primary key the first UNIQUE NOT NULL index is the clustered one,
        # and MariaDB refuses to change its visibility in the statement that adds (or,
        # rolling back, drops) the real primary key (error 4174).
        for step in table_plan.steps:
            if all(isinstance(op, SetVisibility) for op in step.ops):
                step.separate = True
    table_plan.steps.sort(key=lambda step: step.separate)


def _stage_drops(plan: EnvPlan, later_tables: list[TablePlan]) -> None:
    """Step 2 of a staged drop: the drops of the indexes step 1 hides (where the target
    can hide one) and of the tables step 1 renames to their holding names."""
    later: list[TablePlan] = []
    if can_stage(plan.target):
        later = split_staged(plan.tables)
        for table_plan in plan.tables:
            _separate_steps(table_plan)  # the hiding steps that took the drops' place
    order_drops(later_tables)
    later += later_tables
    if later:
        plan.stage = 1
        plan.later = EnvPlan(plan.env, plan.baseline, plan.target, plan.schema, later,
                             findings=[f for f in plan.findings if f.kind == EXTRA
                                       or (f.kind == TABLE_EXTRA and later_tables)],
                             safety_known=plan.safety_known, stage=2)


def plan_all(comparison: Comparison, targets: dict[str, Target],
             options: PlanOptions | None = None) -> dict[str, EnvPlan]:
    """Plans for every non-baseline env."""
    return {env: plan_env(comparison, env, targets[env], options) for env in comparison.envs}


def reversed_steps(table_plan: TablePlan) -> list[Step]:
    """The rollback steps of a table: inverses in reverse order."""
    return [step.inverse() for step in reversed(table_plan.steps)]


__all__ = ["EnvPlan", "PlanOptions", "plan_env", "plan_all", "reversed_steps",
           "RenameIndex", "ReplaceIndex", "SetVisibility", "AddIndex", "DropIndex"]
