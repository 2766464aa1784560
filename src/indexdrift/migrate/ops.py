"""Planned operations: dialect-neutral data, each with an exact inverse for the rollback."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexdrift.model import Index


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
        from dataclasses import replace

        return SetVisibility(replace(self.index, visible=self.before), self.index.visible)


Operation = AddIndex | DropIndex | RenameIndex | SetVisibility


@dataclass(slots=True)
class Step:
    """Operations that must run together (one ALTER TABLE), e.g. DROP + ADD of one index."""

    ops: list[Operation]
    reason: str  # finding kind that produced it: missing, extra, changed, renamed
    index_name: str
    separate: bool = False  # must not share a statement with the others (visibility + rename)

    def inverse(self) -> Step:
        """The step that undoes this one (operations reversed and inverted)."""
        return Step([op.inverse() for op in reversed(self.ops)], self.reason, self.index_name,
                    self.separate)


@dataclass(slots=True)
class Held:
    """A step that is not applied, and why (a commented-out drop, a refused drop...)."""

    step: Step
    why: str  # message key: extra_not_dropped, fk_needs, auto_increment, primary_alone, ...
    detail: str = ""
    commented: bool = True  # written as a commented-out statement for review


@dataclass(slots=True)
class TablePlan:
    """Everything planned for one table of one env."""

    table: str
    steps: list[Step] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)
    size_bytes: int | None = None
    engine: str | None = None
    has_hash: bool = False
