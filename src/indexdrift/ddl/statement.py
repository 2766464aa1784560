"""A rendered statement with the review notes that go above it."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexdrift.ddl.linecheck import safe_comment, split_lines


def sql_comment(text: str, prefix: str = "--") -> str:
    """``text`` as ``-- `` comment lines. Names may hold line breaks; each piece (cut at
    every line end any reader knows) gets its own prefix, so no part of a name ever runs
    as SQL, and a piece that would read as a tool's directive (Liquibase ``-- rollback
    …``) gets the ``| `` mark after the prefix."""
    return "\n".join(safe_comment(prefix, line) for line in split_lines(text) or [""])


@dataclass(frozen=True, slots=True)
class Precheck:
    """The duplicate-rows check of a UNIQUE / PRIMARY KEY build: what it guards, a SELECT
    (no ``;``) of the key groups that would make the build fail, and the columns it reads
    (None: an expression part reads columns it does not name)."""

    what: str
    query: str
    columns: tuple[str, ...] | None

    def reads_any(self, names: set[str]) -> bool:
        """True when the query may read one of ``names`` (lower-cased column names)."""
        if self.columns is None:
            return bool(names)
        return any(column.lower() in names for column in self.columns)


def precheck_columns(index) -> tuple[str, ...] | None:
    """The columns a pre-check of ``index`` (a model Index) reads; None with an
    expression part."""
    if any(part.column is None for part in index.parts):
        return None
    return tuple(part.column for part in index.parts)


@dataclass(slots=True)
class Statement:
    """SQL text (ending in ``;``), notes shown as comments, and whether it is commented out.

    ``transactional`` is False for statements a migration tool must not wrap in a
    transaction (PostgreSQL CONCURRENTLY). ``opens_tx`` / ``closes_tx`` mark the first and
    last of statements that replace each other and must succeed or fail together: a script
    that no tool runs in a transaction (the plain layout) puts BEGIN / COMMIT around them.
    """

    sql: str
    table: str
    notes: list[str] = field(default_factory=list)
    commented: bool = False
    transactional: bool = True
    opens_tx: bool = False
    closes_tx: bool = False
    # SQLite table rebuild: the tables whose foreign keys the script checks before it
    # commits; the script then runs with foreign keys off (the dialect's script_frame).
    check_foreign_keys: tuple[str, ...] = ()
    # The duplicate-rows checks of a UNIQUE / PRIMARY KEY build. Shown as comments;
    # ``--guard`` (plain) and Liquibase preconditions run them before the statement.
    prechecks: tuple[Precheck, ...] = ()
    # The statements that undo exactly this one, from the state it leaves back to the
    # state it found (None: not known). Layouts that give a statement a version of its own
    # (golang-migrate around CONCURRENTLY) need each version's down to be its up's inverse.
    undo: list[Statement] | None = None

    def render(self) -> str:
        """The statement as script text."""
        lines = [sql_comment(str(note)) for note in self.notes]
        if self.sql:
            if self.commented:
                # The commented-out SQL's lines are comment lines like any other.
                lines.extend(safe_comment("--", line) if line else "-- "
                             for line in split_lines(self.sql))
            else:
                lines.append(self.sql)
        return "\n".join(lines)

    @property
    def executable(self) -> bool:
        """True when running the script executes this statement."""
        return bool(self.sql) and not self.commented


def human_size(size: int) -> str:
    """``1.5 GiB`` style size."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"
