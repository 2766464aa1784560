"""Planned operations: dialect-neutral data, each with an exact inverse for the rollback."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from indexdrift.model.tables import CheckConstraint, Column, ForeignKey, Index

# Why an operation is unsafe (Held.why): it destroys data a rollback cannot bring back.
DATA_LOSS = "data_loss"


@dataclass(frozen=True, slots=True)
class AddIndex:
    """Create ``index`` (a primary key too)."""

    index: Index

    def inverse(self) -> DropIndex:
        """Dropping it again."""
        return DropIndex(self.index)


@dataclass(frozen=True, slots=True)
class DropIndex:
    """Drop ``index``; the full definition is kept so the rollback can re-create it."""

    index: Index

    def inverse(self) -> AddIndex:
        """Re-creating it exactly."""
        return AddIndex(self.index)


@dataclass(frozen=True, slots=True)
class ReplaceIndex:
    """Replace ``old`` (the env's index) by ``new`` (the baseline's definition of it): a
    changed index, or a renamed one the target cannot rename. How is the dialect's to
    say (rename and comment, swap constraints, build first, or drop and create)."""

    old: Index
    new: Index

    def inverse(self) -> ReplaceIndex:
        """Putting the env's definition back the same way."""
        return ReplaceIndex(self.new, self.old)

    def only_name_or_comment(self) -> bool:
        """True when ``old`` and ``new`` (both valid) differ only in name and comment: a
        dialect that can rename and comment then keeps the index itself."""
        return self.old.valid and self.new.valid and self.old.shape_key() == self.new.shape_key()


@dataclass(frozen=True, slots=True)
class RenameIndex:
    """Rename ``old`` (the env's index) to ``new``'s name; definitions are otherwise equal."""

    old: Index
    new: Index

    def inverse(self) -> RenameIndex:
        """Renaming it back."""
        return RenameIndex(self.new, self.old)


@dataclass(frozen=True, slots=True)
class SetVisibility:
    """Make ``index`` (already carrying the wanted visibility) visible or hidden."""

    index: Index
    before: bool

    def inverse(self) -> SetVisibility:
        """Restoring the previous visibility."""
        return SetVisibility(replace(self.index, visible=self.before), self.index.visible)


@dataclass(frozen=True, slots=True)
class AddColumn:
    """Add ``column`` after the column ``after`` (None: first), as the baseline has it."""

    column: Column
    after: str | None = None

    def inverse(self) -> DropColumn:
        """Dropping it again (it held no data before the migration)."""
        return DropColumn(self.column, self.after)

    def unsafe(self) -> str | None:
        """Adding a column loses nothing."""
        return None


@dataclass(frozen=True, slots=True)
class DropColumn:
    """Drop ``column``; its definition and place (after ``after``) are kept so the
    rollback can add it back (empty: its values are gone)."""

    column: Column
    after: str | None = None

    def inverse(self) -> AddColumn:
        """Adding it back where it was."""
        return AddColumn(self.column, self.after)

    def unsafe(self) -> str | None:
        """Dropping a column loses its data: held unless --drop-extra."""
        return DATA_LOSS


@dataclass(frozen=True, slots=True)
class ModifyColumn:
    """Take ``current`` (the env's column) to ``target``'s definition; with ``move``, also
    to ``target``'s place, after ``after`` (``after_current``: where ``current`` is)."""

    current: Column
    target: Column
    after: str | None = None
    after_current: str | None = None
    move: bool = False

    def inverse(self) -> ModifyColumn:
        """Taking it back to the env's own definition and place."""
        return ModifyColumn(self.target, self.current, self.after_current, self.after,
                            self.move)

    def unsafe(self) -> str | None:
        """Not held: a narrowing change fails on the server rather than losing data
        silently (MySQL strict mode, PostgreSQL casts)."""
        return None


@dataclass(frozen=True, slots=True)
class RenameColumn:
    """Rename ``current`` to ``target``'s name; definitions are otherwise equal (with
    ``move``, it also goes after ``after``)."""

    current: Column
    target: Column
    after: str | None = None
    after_current: str | None = None
    move: bool = False

    def inverse(self) -> RenameColumn:
        """Renaming it back (and back to its place)."""
        return RenameColumn(self.target, self.current, self.after_current, self.after,
                            self.move)

    def unsafe(self) -> str | None:
        """A rename keeps the data."""
        return None


@dataclass(frozen=True, slots=True)
class AddForeignKey:
    """Add ``fk`` (every field of its definition known) to its table."""

    fk: ForeignKey

    def inverse(self) -> DropForeignKey:
        """Dropping it again."""
        return DropForeignKey(self.fk)

    def unsafe(self) -> str | None:
        """Adding a key loses nothing (rows that break it make the statement fail)."""
        return None


@dataclass(frozen=True, slots=True)
class DropForeignKey:
    """Drop ``fk``; its definition is kept so the rollback can add it back."""

    fk: ForeignKey

    def inverse(self) -> AddForeignKey:
        """Adding it back exactly."""
        return AddForeignKey(self.fk)

    def unsafe(self) -> str | None:
        """No data is lost (an extra key is still held unless --drop-extra, like an extra
        index: the planner's policy, not this verdict)."""
        return None


@dataclass(frozen=True, slots=True)
class AddCheck:
    """Add the CHECK constraint ``check``."""

    check: CheckConstraint

    def inverse(self) -> DropCheck:
        """Dropping it again."""
        return DropCheck(self.check)

    def unsafe(self) -> str | None:
        """Adding a check loses nothing (rows that break it make the statement fail)."""
        return None


@dataclass(frozen=True, slots=True)
class DropCheck:
    """Drop the CHECK constraint ``check``; its definition is kept for the rollback."""

    check: CheckConstraint

    def inverse(self) -> AddCheck:
        """Adding it back exactly."""
        return AddCheck(self.check)

    def unsafe(self) -> str | None:
        """No data is lost (an extra check is held unless --drop-extra: policy)."""
        return None


@dataclass(frozen=True, slots=True)
class RenameConstraint:
    """Rename ``old`` (the env's foreign key or check) to ``new``'s name; the definitions
    are otherwise equal. Only where the dialect can (PostgreSQL ``RENAME CONSTRAINT``);
    elsewhere the planner drops and adds."""

    old: ForeignKey | CheckConstraint
    new: ForeignKey | CheckConstraint

    def inverse(self) -> RenameConstraint:
        """Renaming it back."""
        return RenameConstraint(self.new, self.old)

    def unsafe(self) -> str | None:
        """A rename keeps everything."""
        return None


@dataclass(frozen=True, slots=True)
class SetTableOptions:
    """Set the options of ``table`` that differ: ``before`` (the env's values) to
    ``after`` (the baseline's), both holding only the changed options, in the dialect's
    order (model.tables.TABLE_OPTIONS)."""

    table: str
    before: tuple[tuple[str, str], ...]
    after: tuple[tuple[str, str], ...]

    def inverse(self) -> SetTableOptions:
        """Setting the env's values back."""
        return SetTableOptions(self.table, self.after, self.before)

    def unsafe(self) -> str | None:
        """Options change how a table is stored or described, not its rows (the table's
        default character set, not its columns', is an option)."""
        return None

    def value(self, option: str) -> str | None:
        """The value ``option`` is set to, None when it does not change."""
        return dict(self.after).get(option)


ColumnOperation = AddColumn | DropColumn | ModifyColumn | RenameColumn
ConstraintOperation = (AddForeignKey | DropForeignKey | AddCheck | DropCheck | RenameConstraint
                       | SetTableOptions)
Operation = (AddIndex | DropIndex | ReplaceIndex | RenameIndex | SetVisibility
             | ColumnOperation | ConstraintOperation)


@dataclass(slots=True)
class Step:
    """Operations that must run together (one ALTER TABLE), e.g. the replacement of one
    index."""

    ops: list[Operation]
    reason: str  # finding kind that produced it: missing, extra, changed, renamed
    index_name: str  # the index's (or constraint's) name, "" for columns and options
    separate: bool = False  # must not share a statement with the others (visibility + rename)
    # True for the inverse of a planned step (a rollback's): a dialect that orders the
    # clauses of one statement by direction (MySQL column positions) reads it.
    undo: bool = False

    def inverse(self) -> Step:
        """The step that undoes this one (operations reversed and inverted)."""
        return Step([op.inverse() for op in reversed(self.ops)], self.reason, self.index_name,
                    self.separate, not self.undo)


@dataclass(slots=True)
class Held:
    """A step that is not applied, and why (a commented-out drop, a refused drop...)."""

    step: Step
    why: str  # message key: extra_not_dropped, fk_needs, auto_increment, primary_alone, ...
    detail: str = ""
    commented: bool = True  # written as a commented-out statement for review


# The phases of an env's migration, in the order they run (each phase across all tables
# before the next; the rollback runs the inverses with the phases in reverse):
# foreign keys dropped first (TablePlan.fk_drop_steps), then each table's own changes
# (before_columns, column_steps, steps), then foreign keys added (fk_add_steps), so every key
# a foreign key needs exists when it is added, and keys that reference each other need
# nothing special. Tables created, dropped or renamed (TablePlan.table_steps) run in the
# middle phase, before the table's other changes (a created or dropped table has none).
PHASES = ("drop_foreign_keys", "tables", "add_foreign_keys")


@dataclass(slots=True)
class TablePlan:
    """Everything planned for one table of one env."""

    table: str
    steps: list[Step] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)
    size_bytes: int | None = None
    engine: str | None = None
    has_hash: bool = False
    # Column operations: one step run before the index steps (a missing index may need a
    # missing column), undone after them; held column steps (a drop without --drop-extra).
    column_steps: list[Step] = field(default_factory=list)
    column_held: list[Held] = field(default_factory=list)
    # Steps run before the column step (and undone after it): those dropping an index on
    # a column the column step drops or renames away (planner._around_columns), and the
    # check drops (plan/objects.py: a dropped column takes its checks along).
    before_columns: list[Step] = field(default_factory=list)
    # The baseline's columns of the table (PostgreSQL: does an appended column land where
    # the baseline has it?); None when not read.
    baseline_columns: dict[str, Column] | None = None
    # Foreign keys of this table dropped in the env's first phase and added in its last
    # (PHASES). (Check drops run in before_columns: a dropped column takes its checks along.)
    fk_drop_steps: list[Step] = field(default_factory=list)
    fk_add_steps: list[Step] = field(default_factory=list)
    # The env's indexes and checks in the order the table defines them, as
    # {("index" | "check", name_key): position}: a rollback that re-creates several puts
    # them back in that order (MySQL keeps keys and checks in the order they were added).
    env_order: dict[tuple[str, str], int] = field(default_factory=dict)
    # The table created, dropped or renamed as a whole (plan/table_ops.py, planned by
    # plan/whole_tables.py), and such steps held back; rendered through the dialect's
    # table_ddl (ddl/script.py).
    table_steps: list[Step] = field(default_factory=list)
    table_held: list[Held] = field(default_factory=list)

    def phase_steps(self, phase: str) -> list[Step]:
        """The planned steps of one of PHASES (the middle one without the column step)."""
        if phase == PHASES[0]:
            return self.fk_drop_steps
        if phase == PHASES[2]:
            return self.fk_add_steps
        return [*self.before_columns, *self.steps]

    @property
    def has_steps(self) -> bool:
        """True when anything is to be applied to the table."""
        return bool(self.steps or self.column_steps or self.before_columns or self.fk_drop_steps
                    or self.fk_add_steps or self.table_steps)


def dropped_indexes(ops: list[Operation]) -> list[Index]:
    """The indexes ``ops`` drop, in order: a drop's, and a replacement's old one."""
    return [op.old if isinstance(op, ReplaceIndex) else op.index for op in ops
            if isinstance(op, (DropIndex, ReplaceIndex))]


def added_indexes(ops: list[Operation]) -> list[Index]:
    """The indexes ``ops`` create, in order: an add's, and a replacement's new one."""
    return [op.new if isinstance(op, ReplaceIndex) else op.index for op in ops
            if isinstance(op, (AddIndex, ReplaceIndex))]
