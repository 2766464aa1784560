"""Table rebuilds (issue 20): SQLite's ALTER TABLE cannot change a column, a foreign key,
a CHECK constraint, a table option or a PRIMARY KEY/UNIQUE constraint; only its
documented procedure does (https://www.sqlite.org/lang_altertable.html, "Making Other
Kinds Of Table Schema Changes"): create the new table under another name, copy the rows,
drop the old table, rename the new one, re-create the indexes, triggers and views.

``plan_rebuilds`` (the planner's hook, after ``objects.settle``) turns every change of
such a table into ONE ``RebuildTable`` step to the baseline's definition: its column,
index, foreign-key, check and option steps, and the steps held only because they need a
rebuild, go into it. What the plan keeps back stays as the env has it inside the rebuilt
table (an extra index, foreign key, check or column without ``--drop-extra``, an index
step held for safety). A rebuild is itself held when it could not keep what it must:

- the baseline's or the env's columns, foreign keys, checks or options were not read
  (``--objects all``): the new table would silently lack them;
- the env's definitions were not read from a SQLite file (a snapshot or a CSV has no
  triggers and views: they would be lost), or one of them is not exactly one statement
  (it could not be written back);
- a column the baseline adds is NOT NULL without a DEFAULT (the copied rows have no
  value for it);
- a PRIMARY KEY/UNIQUE constraint the env keeps (its ``sqlite_autoindex`` number is the
  definition's order).

The rollback is the inverse rebuild, to the env's exact definitions (dialect: re-created
from the env's own ``sqlite_schema`` text); the values of a column the migration dropped
cannot come back, and its note says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from indexdrift.core.target import Target
from indexdrift.model.kinds import CHECK_EXTRA, FOREIGN_KEY_EXTRA
from indexdrift.model.tables import Column, SchemaObject, Snapshot, Table
from indexdrift.plan.notes import Note
from indexdrift.plan.ops import (
    DATA_LOSS,
    DropCheck,
    DropColumn,
    DropForeignKey,
    Held,
    ModifyColumn,
    RenameColumn,
    Step,
    TablePlan,
    added_indexes,
    dropped_indexes,
)

REBUILD = "table_rebuild"  # Step.reason of a rebuild, Held.why of one held back
NEEDED = ("foreign_keys", "checks", "options")  # Snapshot.objects (columns: Table.columns)


@dataclass(frozen=True, slots=True)
class RebuildTable:
    """Rebuild ``current`` (the table as it is) as ``target``: ``column_map`` pairs each
    copied column of ``current`` with its name in ``target``; ``schema`` is the env's
    every definition (``Snapshot.schema_sql``: the triggers and views re-created around
    the rebuild); ``target_texts`` / ``current_texts`` the stored definitions (the table's
    CREATE TABLE, its indexes') that ``target`` / ``current`` are exactly, written as
    they are instead of from the model (the env's always, so a rollback restores its
    text; the baseline's when the rebuilt table is the baseline's as it is); ``checked``:
    the tables whose foreign keys are checked before the transaction commits (this one,
    and those that reference it)."""

    current: Table
    target: Table
    column_map: tuple[tuple[str, str], ...]
    schema: tuple[SchemaObject, ...]
    target_texts: tuple[SchemaObject, ...] = ()
    current_texts: tuple[SchemaObject, ...] = ()
    checked: tuple[str, ...] = ()

    def inverse(self) -> RebuildTable:
        """Rebuilding back to the env's exact definition (rows kept where columns are)."""
        return RebuildTable(self.target, self.current,
                            tuple((new, old) for old, new in self.column_map), self.schema,
                            self.current_texts, self.target_texts, self.checked)

    def unsafe(self) -> str | None:
        """Data loss when a column of ``current`` is not copied."""
        copied = {old.lower() for old, _ in self.column_map}
        lost = [c for c in (self.current.columns or {}).values()
                if c.name.lower() not in copied and not c.generated]
        return DATA_LOSS if lost else None


def _mentions(note: object, key: str) -> bool:
    """True when ``note`` (a Note, possibly joining others) is or holds ``key``'s."""
    if getattr(note, "key", None) == key:
        return True
    return any(_mentions(v, key) for v in getattr(note, "values", {}).values())


def _absorbed(held: Held) -> bool:
    """A held step that only a rebuild can do, so the rebuild does it."""
    return held.why == REBUILD or (held.why == "unsupported" and _mentions(
        held.detail, "migrate.detail.sqlite_autoindex"))


def _needs_rebuild(plan: TablePlan) -> bool:
    return bool(plan.column_steps) or any(_absorbed(h) for h in plan.held)


def _kept_constraints(plan: TablePlan, drop_extra: bool) -> list[Held]:
    """The absorbed held steps of an extra foreign key or check without --drop-extra:
    the rebuild keeps it."""
    return [h for h in plan.held if _absorbed(h) and not drop_extra
            and h.step.reason in (FOREIGN_KEY_EXTRA, CHECK_EXTRA)]


def _place_columns(base: Table, kept: list[DropColumn],
                   renames: dict[str, str]) -> dict[str, Column]:
    """The baseline's columns with the env's kept ones, each after the column it follows
    in the env (under its baseline name), renumbered."""
    if not kept:
        return dict(base.columns or {})
    order = sorted((base.columns or {}).values(), key=lambda c: c.position)
    for op in kept:
        after = renames.get((op.after or "").lower(), (op.after or "").lower())
        at = next((i + 1 for i, c in enumerate(order) if c.name_key == after),
                  0 if op.after is None else len(order))
        order.insert(at, op.column)
    return {c.name_key: replace(c, position=n) for n, c in enumerate(order, 1)}


def _target(base: Table, env_table: Table, plan: TablePlan, drop_extra: bool,
            renames: dict[str, str]) -> tuple[Table, str | None]:
    """The table the rebuild makes: the baseline's, with what the plan keeps of the env
    (see the module); or a reason it cannot be made so."""
    indexes = dict(base.indexes)
    for held in plan.held:
        if _absorbed(held) and (drop_extra or held.step.reason != "extra"):
            continue
        for index in added_indexes(held.step.ops):
            indexes.pop(index.name_key, None)
        for index in dropped_indexes(held.step.ops):
            if index.constraint in ("p", "u") or index.primary:
                return base, Note("migrate.detail.rebuild_keeps_key", index=index.name)
            indexes[index.name_key] = index
    fks = list(base.foreign_keys)
    checks = dict(base.checks or {})
    for held in _kept_constraints(plan, drop_extra):
        for op in held.step.ops:
            if isinstance(op, DropForeignKey):
                fks.append(op.fk)
            elif isinstance(op, DropCheck):
                checks[op.check.name_key] = op.check
    kept = [op for h in plan.column_held for op in h.step.ops
            if isinstance(op, DropColumn) and not drop_extra]
    columns = _place_columns(base, kept, renames)
    target = replace(base, indexes=indexes, columns=columns,
                     foreign_keys=tuple(sorted(fks, key=lambda k: k.name_key)),
                     checks={k: checks[k] for k in sorted(checks)})
    return target, None


def _renames(plan: TablePlan) -> dict[str, str]:
    """Env column name_key -> baseline column name_key, for the renamed ones."""
    return {op.current.name_key: op.target.name_key for step in plan.column_steps
            for op in step.ops if isinstance(op, (RenameColumn, ModifyColumn))
            and op.current.name_key != op.target.name_key}


def _column_map(env_table: Table, target: Table, renames: dict[str, str]
                ) -> tuple[tuple[tuple[str, str], ...], str | None]:
    """(env column, target column) pairs copied, and a reason when a new column cannot
    be filled (NOT NULL, no DEFAULT)."""
    wanted = {c.name_key: c for c in (target.columns or {}).values()}
    pairs: list[tuple[str, str]] = []
    for column in sorted((env_table.columns or {}).values(), key=lambda c: c.position):
        new = wanted.get(renames.get(column.name_key, column.name_key))
        if new is not None and not new.generated:
            pairs.append((column.name, new.name))
    filled = {new.lower() for _, new in pairs}
    for column in wanted.values():
        if (column.name.lower() not in filled and not column.nullable and not column.generated
                and column.default in (None, "NULL") and not column.auto_increment):
            return tuple(pairs), Note("migrate.detail.rebuild_not_null", column=column.name)
    return tuple(pairs), None


# Identifiers of a stored trigger or view (strings and comments skipped), as SQLite's
# tokenizer reads them. Here, not in the dialect: the rebuild is planned in this module,
# and the registry gives the planner no SQLite lexer.
_WORD = re.compile(r"""'(?:[^']|'')*'|"((?:[^"]|"")*)"|\[([^\]]*)\]|`((?:[^`]|``)*)`"""
                   r"""|--[^\n]*|/\*.*?(?:\*/|\Z)|([^\W\d][\w$]*)|.""", re.S)


def _words(sql: str) -> set[str]:
    found = set()
    for match in _WORD.finditer(sql):
        name = next((g for g in match.groups() if g is not None), None)
        if name is not None:
            found.add(name.replace('""', '"').replace("``", "`").lower())
    return found


def _stale_dependent(snapshot: Snapshot, env_table: Table, target: Table) -> Note | None:
    """A trigger or view the rebuild re-creates as the env stored it while it names a
    column the rebuilt table no longer has (dropped, or renamed: SQLite's own RENAME
    COLUMN would rewrite it, the rebuild does not): it would fail on every use ("no such
    column"), so the rebuild is held, as SQLite's DROP COLUMN refuses it. A word that
    only looks like the column (another table's column) holds it too: the safe side."""
    kept = {c.name_key for c in (target.columns or {}).values()}
    gone = {c.name_key for c in (env_table.columns or {}).values()} - kept
    if not gone:
        return None
    for obj in snapshot.schema_sql:
        if obj.kind not in ("trigger", "view"):
            continue
        words = _words(obj.sql)
        if env_table.name.lower() in words and words & gone:
            return Note("migrate.detail.rebuild_dependent", name=obj.name,
                        column=sorted(words & gone)[0])
    return None


def _children(snapshot: Snapshot, table: str) -> tuple[str, ...]:
    """``table`` and the env's tables whose foreign keys reference it."""
    found = {t.name for t in snapshot.tables.values() for fk in t.foreign_keys
             if fk.ref_schema is None and (fk.ref_table or "").lower() == table.lower()}
    return (table, *sorted(found - {table}, key=str.lower))


def _texts_of(side: Snapshot, table: Table, wanted: Table) -> tuple[SchemaObject, ...]:
    """The stored definitions of ``side``'s ``table`` that ``wanted`` has exactly: its
    CREATE TABLE when the columns, keys, checks, options and constraint indexes are the
    same, each index's CREATE INDEX when ``wanted`` has that index as it is."""
    key = table.name.lower()
    out: list[SchemaObject] = []
    constraint = {k: ix for k, ix in table.indexes.items() if ix.constraint in ("p", "u")}
    same = (table.columns == wanted.columns and table.foreign_keys == wanted.foreign_keys
            and table.checks == wanted.checks and table.options == wanted.options
            and constraint == {k: ix for k, ix in wanted.indexes.items()
                               if ix.constraint in ("p", "u")})
    for obj in side.schema_sql:
        if obj.table.lower() != key:
            continue
        if obj.kind == "table" and obj.name.lower() == key and same:
            out.append(obj)
        elif obj.kind == "index":
            index = next((ix for ix in table.indexes.values()
                          if ix.name.lower() == obj.name.lower()), None)
            if index is not None and wanted.indexes.get(index.name_key) == index:
                out.append(obj)
    return tuple(out)


def _why_held(base: Table | None, env_table: Table | None, baseline: Snapshot,
              snapshot: Snapshot) -> str | None:
    """Why no rebuild of the table can be written (see the module), or None."""
    if base is None or env_table is None:
        return Note("migrate.detail.rebuild_objects")
    for side in (baseline, snapshot):
        if not set(NEEDED) <= set(side.objects):
            return Note("migrate.detail.rebuild_objects")
    if base.columns is None or env_table.columns is None or base.checks is None \
            or env_table.checks is None or base.options is None or env_table.options is None:
        return Note("migrate.detail.rebuild_objects")
    if not any(o.kind == "table" and o.name.lower() == env_table.name.lower()
               for o in snapshot.schema_sql):
        return Note("migrate.detail.rebuild_no_schema")
    unwritable = [o.name for o in snapshot.schema_sql if not o.sql]
    if unwritable:
        return Note("migrate.detail.rebuild_unwritable", name=unwritable[0])
    return None


def _hold(plan: TablePlan, detail: str) -> None:
    """Hold every change of the table as one rebuild held back with ``detail``."""
    ops = [op for steps in (plan.fk_drop_steps, plan.before_columns, plan.column_steps,
                            plan.steps, plan.fk_add_steps) for step in steps for op in step.ops]
    ops += [op for h in plan.held if _absorbed(h) for op in h.step.ops]
    plan.held = [h for h in plan.held if not _absorbed(h)]
    plan.held.append(Held(Step(ops, REBUILD, plan.table), REBUILD, detail, commented=False))
    plan.fk_drop_steps, plan.before_columns, plan.column_steps = [], [], []
    plan.steps, plan.fk_add_steps = [], []


def plan_rebuilds(tables: dict[str, TablePlan], baseline: Snapshot, snapshot: Snapshot,
                  target: Target, drop_extra: bool) -> None:
    """Turn the changes of each table that needs a rebuild into one (see the module)."""
    if not target.constraints_need_rebuild:
        return
    for name, plan in tables.items():
        if not _needs_rebuild(plan):
            continue
        base, env_table = baseline.tables.get(name), snapshot.tables.get(name)
        reason = _why_held(base, env_table, baseline, snapshot)
        if reason is not None:
            _hold(plan, reason)
            continue
        assert base is not None and env_table is not None
        renames = _renames(plan)
        new, reason = _target(base, env_table, plan, drop_extra, renames)
        pairs: tuple[tuple[str, str], ...] = ()
        if reason is None:
            pairs, reason = _column_map(env_table, new, renames)
        if reason is None:
            reason = _stale_dependent(snapshot, env_table, new)
        if reason is not None:
            _hold(plan, reason)
            continue
        texts = _texts_of(baseline, base, new)
        named = {o.name.lower() for o in texts if o.kind == "index"}
        # an index the rebuild keeps as the env has it: the env's own text
        texts += tuple(o for o in _texts_of(snapshot, env_table, new)
                       if o.kind == "index" and o.name.lower() not in named)
        op = RebuildTable(env_table, new, pairs, snapshot.schema_sql, texts,
                          _texts_of(snapshot, env_table, env_table), _children(snapshot, name))
        kept = _kept_constraints(plan, drop_extra)
        plan.held = [h for h in plan.held if not _absorbed(h)]
        plan.held += [Held(h.step, "rebuild_extra_kept") for h in kept]
        # Column drops held for their data (no --drop-extra) stay as held notes: the
        # rebuild keeps those columns.
        plan.column_held = [h for h in plan.column_held if not drop_extra]
        plan.steps = [Step([op], REBUILD, name)]
        plan.column_steps, plan.before_columns = [], []
        plan.fk_drop_steps, plan.fk_add_steps = [], []

