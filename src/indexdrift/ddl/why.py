"""Why a statement exists: one comment line per step naming the difference it fixes, the
env's definition and the baseline's (``-- why: dev ix_a (name(32)) → prd (name(20))``).

Only the forward migration says why; a rollback statement undoes the one above it.
"""

from __future__ import annotations

from indexdrift.ddl.statement import Statement
from indexdrift.plan.notes import Note
from indexdrift.plan.ops import (
    AddCheck,
    AddColumn,
    AddForeignKey,
    AddIndex,
    DropCheck,
    DropColumn,
    DropForeignKey,
    DropIndex,
    ModifyColumn,
    Operation,
    RenameColumn,
    RenameIndex,
    ReplaceIndex,
    SetTableOptions,
    SetVisibility,
    Step,
)
from indexdrift.plan.planner import EnvPlan


def _column(column) -> str:
    text = column.column_type + ("" if column.nullable else " NOT NULL")
    if column.default is not None and column.default != "NULL":
        text += f" DEFAULT {column.default}"
    return text


def _visibility(visible: bool) -> str:
    return "visible" if visible else "hidden"


def op_note(op: Operation, plan: EnvPlan) -> Note | None:
    """The line saying which difference ``op`` fixes (None: an operation without one)."""
    env, base = plan.env, plan.baseline
    if isinstance(op, AddIndex):
        return Note("migrate.why.missing", env=env, baseline=base, name=op.index.name,
                    definition=op.index.definition())
    if isinstance(op, DropIndex):
        return Note("migrate.why.extra", env=env, baseline=base, name=op.index.name,
                    definition=op.index.definition())
    if isinstance(op, ReplaceIndex):
        return Note("migrate.why.changed", env=env, baseline=base, name=op.old.name,
                    old=op.old.definition(), new=op.new.definition())
    if isinstance(op, RenameIndex):
        return Note("migrate.why.renamed", env=env, baseline=base, old=op.old.name,
                    new=op.new.name)
    if isinstance(op, SetVisibility):
        return Note("migrate.why.changed", env=env, baseline=base, name=op.index.name,
                    old=_visibility(op.before), new=_visibility(op.index.visible))
    if isinstance(op, AddColumn):
        return Note("migrate.why.missing", env=env, baseline=base, name=op.column.name,
                    definition=_column(op.column))
    if isinstance(op, DropColumn):
        return Note("migrate.why.extra", env=env, baseline=base, name=op.column.name,
                    definition=_column(op.column))
    if isinstance(op, (ModifyColumn, RenameColumn)):
        return Note("migrate.why.changed", env=env, baseline=base, name=op.current.name,
                    old=f"{op.current.name} {_column(op.current)}",
                    new=f"{op.target.name} {_column(op.target)}")
    if isinstance(op, AddForeignKey):
        return Note("migrate.why.missing", env=env, baseline=base, name=op.fk.name,
                    definition=op.fk.definition())
    if isinstance(op, DropForeignKey):
        return Note("migrate.why.extra", env=env, baseline=base, name=op.fk.name,
                    definition=op.fk.definition())
    if isinstance(op, AddCheck):
        return Note("migrate.why.missing", env=env, baseline=base, name=op.check.name,
                    definition=op.check.definition())
    if isinstance(op, DropCheck):
        return Note("migrate.why.extra", env=env, baseline=base, name=op.check.name,
                    definition=op.check.definition())
    if isinstance(op, SetTableOptions):
        return Note("migrate.why.changed", env=env, baseline=base, name=op.table,
                    old=_options(op.before), new=_options(op.after))
    return None


def _options(options: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{key}={value}" for key, value in options) or "-"


def why_notes(step: Step, plan: EnvPlan) -> list[Note]:
    """The lines of one step of the forward migration. A step that drops and re-adds a
    foreign key around a change (``foreign_key_around``) is said by its own note."""
    if step.undo or step.reason == "foreign_key_around":
        return []
    # A replacement made of a drop and an add of one name reads as one change.
    drops = {op.index.name: op for op in step.ops if isinstance(op, DropIndex)}
    adds = {op.index.name: op for op in step.ops if isinstance(op, AddIndex)}
    out: list[Note] = []
    for op in step.ops:
        if isinstance(op, DropIndex) and op.index.name in adds:
            continue
        if isinstance(op, AddIndex) and op.index.name in drops:
            op = ReplaceIndex(drops[op.index.name].index, op.index)
        note = op_note(op, plan)
        if note is not None:
            out.append(note)
    return out


def annotate(statements: list[Statement], notes: list[Note]) -> list[Statement]:
    """``statements`` with ``notes`` first above the first executable one that is not a
    session SET (the sql_mode pin), else above the first statement."""
    if not notes or not statements:
        return statements
    target = next((s for s in statements if s.executable and not s.sql.startswith("SET ")),
                  statements[0])
    target.notes = [*notes, *target.notes]
    return statements
