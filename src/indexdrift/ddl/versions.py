"""Cut a script into migration versions whose down undoes exactly their up (golang-migrate).

golang-migrate runs each file as one unit: the postgres driver sends a file as one
multi-statement query, which PostgreSQL executes as one implicit transaction, so a
statement that cannot run in a transaction (``CREATE INDEX CONCURRENTLY``) needs a version
of its own; the transactional rest may share one. ``migrate down 1`` runs only the last
applied version's down, so each version's down must take the env from the state its up
left back to the state its up found: not a piece of the step's whole rollback.
"""

from __future__ import annotations

from indexdrift.core.errors import IndexDriftError
from indexdrift.ddl.statement import Statement
from indexdrift.plan.notes import Note

# One version: (its up statements, its down statements), each run as one unit.
Version = tuple[list[Statement], list[Statement]]


def units(statements: list[Statement]) -> list[list[Statement]]:
    """``statements`` cut where a file must end: each non-transactional statement alone,
    consecutive transactional ones together; a statement that runs nothing (a note, a
    commented-out statement) goes with the next one that runs (the last, at the end)."""
    out: list[list[Statement]] = []
    waiting: list[Statement] = []
    for statement in statements:
        if not statement.executable:
            waiting.append(statement)
            continue
        if out and statement.transactional and _transactional(out[-1]):
            out[-1] += [*waiting, statement]
        else:
            out.append([*waiting, statement])
        waiting = []
    if waiting:
        if out:
            out[-1] += waiting
        else:
            out.append(waiting)
    return out


def _transactional(unit: list[Statement]) -> bool:
    return all(s.transactional for s in unit if s.executable)


def _runs(unit: list[Statement]) -> bool:
    return any(s.executable for s in unit)


def step_versions(up: list[Statement], down: list[Statement], table: str) -> list[Version]:
    """The versions of one step (``down``: its inverse's statements). A step that is one
    unit each way is one version; otherwise each unit of its up is a version whose down is
    its statements' own undos (``Statement.undo``), latest first, which must be one unit."""
    if len([u for u in units(up) if _runs(u)]) <= 1 and \
            len([u for u in units(down) if _runs(u)]) <= 1:
        return [(up, down)] if up or down else []
    versions: list[Version] = []
    for unit in units(up):
        undo: list[Statement] = []
        for statement in reversed([s for s in unit if s.executable]):
            if statement.undo is None:
                raise IndexDriftError(str(Note("migrate.golang_migrate.no_undo", table=table,
                                               sql=statement.sql)))
            undo += statement.undo
        if len([u for u in units(undo) if _runs(u)]) > 1:
            raise IndexDriftError(str(Note("migrate.golang_migrate.no_undo", table=table,
                                           sql=unit[-1].sql)))
        versions.append((unit, undo))
    return versions


def merged(versions: list[Version]) -> list[Version]:
    """Consecutive versions that run only transactional statements both ways, as one (its
    down: the later one's down, then the earlier one's)."""
    out: list[Version] = []
    for up, down in versions:
        if out and _shareable(out[-1]) and _shareable((up, down)):
            last_up, last_down = out[-1]
            out[-1] = (last_up + up, down + last_down)
        else:
            out.append((list(up), list(down)))
    return out


def _shareable(version: Version) -> bool:
    up, down = version
    return _transactional(up) and _transactional(down)


def script_versions(steps: list[tuple[list[Statement], list[Statement], str]]
                    ) -> list[Version]:
    """Every step's versions (``(up, inverse, table)`` in the order the script runs them),
    the transactional ones that follow each other merged."""
    versions: list[Version] = []
    for up, down, table in steps:
        versions += step_versions(up, down, table)
    return merged(versions)
