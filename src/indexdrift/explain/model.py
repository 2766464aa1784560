"""What an explanation is made of: data only; ``render`` turns it into text."""

from __future__ import annotations

from dataclasses import dataclass, field

# Online-DDL effect levels, from cheapest to most disruptive. "depends" means the effect
# hinges on the column's current definition, which the statement alone does not show.
METADATA = "metadata"  # only the data dictionary / catalog changes
INPLACE = "inplace"  # built in place, concurrent writes allowed, no table rebuild
LOCKED = "locked"  # in place, but concurrent writes are blocked while it runs
REBUILD = "rebuild"  # the table is rebuilt in place; concurrent writes allowed
COPY = "copy"  # the table is rewritten (copied); concurrent writes blocked
DEPENDS = "depends"
UNKNOWN = "unknown"  # a clause was parsed but is not explained, so its cost is not assessed
LEVELS = (METADATA, INPLACE, LOCKED, REBUILD, COPY)


def worst(levels: list[str]) -> str | None:
    """The most disruptive level of a statement's clauses (``depends`` when any depends)."""
    if not levels:
        return None
    if UNKNOWN in levels:
        return UNKNOWN
    known = [lv for lv in levels if lv in LEVELS]
    if len(known) < len(levels):
        return DEPENDS
    return max(known, key=LEVELS.index)


@dataclass(slots=True)
class Phrase:
    """One catalog text: a key and the values filled into it."""

    key: str
    values: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Clause:
    """One clause of a statement: what it does and what it costs online."""

    sql: str
    what: list[Phrase]
    level: str | None = None
    notes: list[Phrase] = field(default_factory=list)


@dataclass(slots=True)
class Explanation:
    """One statement: its text, the dialect it was read as, and its clauses.

    ``error`` is set (and ``clauses`` empty) when the statement was not parsed.
    """

    sql: str
    line: int
    dialect: str
    table: str | None = None
    clauses: list[Clause] = field(default_factory=list)
    notes: list[Phrase] = field(default_factory=list)
    error: str | None = None
    unsupported: str | None = None  # parsed, but a kind of statement this tool does not explain

    @property
    def parsed(self) -> bool:
        """True when the parser understood the whole statement."""
        return self.error is None

    @property
    def level(self) -> str | None:
        """The statement's overall online-DDL level: its worst clause."""
        return worst([c.level for c in self.clauses if c.level is not None])
