"""Comparing envs one at a time as they are read, keeping only what the reports need.

A fleet of hundreds of targets must not hold every target's snapshot until the end: each
target is compared with the baseline as soon as it is read (``compare_snapshots``), its
findings kept, and its snapshot replaced by an ``EnvSummary``. What the reports read of an
env besides its findings (report/render/jsonout.py, summary.py, markdown.py, matrix.py,
evidence/attach.py) is small: the source label, schema, server flavor and version,
warnings, what the reader read (``objects``, ``has_details``), how many tables and indexes
it had, and per table name whether the env has that table and its index names. The
summary keeps those; a table is kept whole only when it differs from the baseline's (it is
then held by its findings anyway) or is not the baseline's by exact name, and every other
table is answered with the baseline's table, which has the same indexes under the same
names.

Planning a migration reads the whole env (foreign keys of any table, sizes, engines), so
the commands that plan (``migrate``, reports with statements) keep full snapshots.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from indexdrift.compare.tables import Comparison, Finding, compare_snapshots, sort_findings
from indexdrift.model.tables import Snapshot, Table


class StandInTables(Mapping):
    """An env's tables by name, read-only: its own ``Table`` where it differs from the
    baseline, the baseline's where it has the same table (same indexes, same names)."""

    __slots__ = ("_base", "_own", "_absent", "_count")

    def __init__(self, base: dict[str, Table], own: dict[str, Table], absent: frozenset[str],
                 count: int) -> None:
        self._base = base  # the baseline's tables
        self._own = own  # the env's tables that are not stood in for
        self._absent = absent  # baseline tables the env has not under that exact name
        self._count = count

    def __getitem__(self, name: str) -> Table:
        found = self._own.get(name)
        if found is not None:
            return found
        if name in self._absent:
            raise KeyError(name)
        return self._base[name]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        yield from self._own
        yield from (name for name in self._base
                    if name not in self._absent and name not in self._own)


@dataclass(slots=True)
class EnvSummary:
    """What is kept of an env compared and dropped while streaming (see the module)."""

    source: str
    schema: str | None
    tables: StandInTables
    flavor: str | None = None
    version: str | None = None
    warnings: list[str] = field(default_factory=list)
    has_details: bool = False
    objects: frozenset[str] = frozenset()
    indexes: int = 0
    # Lint advisories of the env, when the run asked for them before the snapshot went
    # (None: not computed).
    advisories: list | None = None
    # The usage counters the reader took on its catalog connection (Snapshot.usage).
    usage: object | None = None

    def index_count(self) -> int:
        """How many indexes the env's snapshot held."""
        return self.indexes


def _same_as_baseline(base: Table, table: Table) -> bool:
    """True when the baseline's table can stand in for the env's in a report: same index
    names, exactly (compare matches index names by their key, e.g. case-insensitively)."""
    if base is table:  # one object (a reader's share, sources/tableshare.py)
        return True
    if len(base.indexes) != len(table.indexes):
        return False
    return all(a.name == b.name for a, b in zip(base.indexes.values(), table.indexes.values(),
                                                 strict=True))


def summarize(base: Snapshot, snapshot: Snapshot, findings: list[Finding],
              advisories: list | None = None) -> EnvSummary:
    """The summary of ``snapshot`` once its ``findings`` against ``base`` are known."""
    drifted = {f.table for f in findings}
    own: dict[str, Table] = {}
    absent = {name for name in base.tables if name not in snapshot.tables}
    for name, table in snapshot.tables.items():
        other = base.tables.get(name)
        if other is None or name in drifted or not _same_as_baseline(other, table):
            own[name] = table
    return EnvSummary(snapshot.source, snapshot.schema,
                      StandInTables(base.tables, own, frozenset(absent), len(snapshot.tables)),
                      snapshot.flavor, snapshot.version, list(snapshot.warnings),
                      snapshot.has_details, snapshot.objects, snapshot.index_count(),
                      advisories, snapshot.usage)


def assemble(baseline: str, envs: dict[str, Snapshot | EnvSummary],
             findings: dict[str, list[Finding]]) -> Comparison:
    """The comparison of envs already compared one by one (``findings`` per env, each from
    ``compare_snapshots``), exactly as ``compare`` would make it: envs in ``envs`` order."""
    names = [name for name in envs if name != baseline]
    found = [f for name in names for f in findings.get(name, ())]
    comparison = Comparison(baseline, names, envs, found)  # type: ignore[arg-type]
    sort_findings(comparison)
    return comparison


__all__ = ["EnvSummary", "StandInTables", "assemble", "compare_snapshots", "summarize"]
