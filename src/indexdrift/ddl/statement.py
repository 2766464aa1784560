"""A rendered statement with the review notes that go above it."""

from __future__ import annotations

from dataclasses import dataclass, field


def sql_comment(text: str, prefix: str = "--") -> str:
    """``text`` as ``-- `` comment lines. Names may hold line breaks; each piece gets its
    own prefix, so no part of a name ever runs as SQL."""
    return "\n".join(f"{prefix} {line}" if line else prefix
                     for line in text.splitlines() or [""])


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

    def render(self) -> str:
        """The statement as script text."""
        lines = [sql_comment(str(note)) for note in self.notes]
        if self.sql:
            if self.commented:
                lines.extend(f"-- {line}" for line in self.sql.splitlines())
            else:
                lines.append(self.sql)
        return "\n".join(lines)

    @property
    def executable(self) -> bool:
        """True when running the script executes this statement."""
        return bool(self.sql) and not self.commented
