"""Compare each environment with the baseline and produce findings (data, no text).

Linear time: every lookup is a dict lookup keyed by table name, lower-cased index name
or an index's shape; nothing compares all pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from indexdrift.compare.columns import ColumnDiff, compare_columns
from indexdrift.compare.constraints import (
    check_changes,
    foreign_key_changes,
    option_changes,
    pair_objects,
)
from indexdrift.model.kinds import (  # noqa: F401  (re-exported: compare's vocabulary)
    CHANGED,
    CHECK_CHANGED,
    CHECK_EXTRA,
    CHECK_MISSING,
    CHECK_RENAMED,
    COLUMN_CHANGED,
    COLUMN_EXTRA,
    COLUMN_KINDS,
    COLUMN_MISSING,
    COLUMN_MOVED,
    EXTRA,
    FOREIGN_KEY_CHANGED,
    FOREIGN_KEY_EXTRA,
    FOREIGN_KEY_MISSING,
    FOREIGN_KEY_RENAMED,
    KINDS,
    MISSING,
    OBJECT_OF,
    OPTIONS_CHANGED,
    RENAMED,
    TABLE_EXTRA,
    TABLE_MISSING,
)
from indexdrift.model.tables import CheckConstraint, ForeignKey, Index, Snapshot, Table

if TYPE_CHECKING:  # annotations only: the readers and linters import compare's types
    from indexdrift.compare.stream import EnvSummary
    from indexdrift.evidence import UsageEvidence
    from indexdrift.report.fk_lint import ForeignKeyAdvisory
    from indexdrift.report.lint import Advisory
    from indexdrift.sources.fleet import FleetCount


@dataclass(slots=True)
class Finding:
    """One difference between an environment and the baseline."""

    env: str
    schema: str | None
    table: str
    kind: str
    index: str | None = None  # baseline name (renamed, missing, changed) or env name (extra)
    baseline: Index | None = None
    current: Index | None = None  # the env's index
    changes: list[str] = field(default_factory=list)
    baseline_table: Table | None = None
    env_table: Table | None = None
    # Column findings (kinds column_*): the column's baseline name (env name for extra)
    # and the ColumnDiff with both definitions.
    column: str | None = None
    column_diff: ColumnDiff | None = None
    # Foreign-key and CHECK findings: the constraint's baseline name (env name for extra)
    # and both definitions. Table-option findings list the options in ``changes``.
    constraint: str | None = None
    baseline_fk: ForeignKey | None = None
    current_fk: ForeignKey | None = None
    baseline_check: CheckConstraint | None = None
    current_check: CheckConstraint | None = None
    # Usage evidence from live sources, when read:
    # of the index in the env (or the --usage-from env), and of the same index under
    # another name in the baseline (for indexes only the env has).
    usage: UsageEvidence | None = None
    baseline_usage: UsageEvidence | None = None
    # The reason of the waiver (indexdrift.toml) that accepts this difference, if any.
    waived: str | None = None

    @property
    def object_kind(self) -> str:
        """What the finding is about, as --objects names it (indexes, columns, ...)."""
        return OBJECT_OF[self.kind]

    @property
    def env_index_name(self) -> str | None:
        """The index's name in the env (differs from ``index`` for a rename)."""
        return self.current.name if self.current is not None else None


@dataclass(slots=True)
class Comparison:
    """The result of comparing several environments against one baseline."""

    baseline: str
    envs: list[str]
    # Every env read, baseline included, in run order. A fleet target compared while the
    # fleet was read holds an EnvSummary instead: what the reports need (compare/stream.py).
    snapshots: dict[str, Snapshot | EnvSummary]
    findings: list[Finding]
    # Duplicate/redundant index advisories per env, and foreign keys without an index
    # (when read); they are not drift and never change the exit code.
    advisories: dict[str, list[Advisory | ForeignKeyAdvisory]] = field(default_factory=dict)
    # Envs (fleet targets) that could not be read, with the cause: the report is incomplete.
    incomplete: dict[str, str] = field(default_factory=dict)
    # Per fleet env, how many targets it had , in run order.
    fleets: list[FleetCount] = field(default_factory=list)
    # The source each env was read from (files, or URLs with their options), for the steps
    # that read an env again (usage evidence, columns).
    env_sources: dict[str, str] = field(default_factory=dict)
    # The object kinds --objects compares (empty: not said, the default indexes). With
    # "tables", migrate creates and drops whole tables: reports say so.
    objects: frozenset[str] = frozenset()
    # Envs whose usage counters could not be read, with why (evidence.USERSTAT_OFF or a
    # reason text): reports say it once per env, not on every note.
    usage_unavailable: dict[str, str] = field(default_factory=dict)

    def for_env(self, env: str) -> list[Finding]:
        """The findings of one environment."""
        return [f for f in self.findings if f.env == env]

    @property
    def has_drift(self) -> bool:
        """True when any environment differs from the baseline."""
        return bool(self.findings)


# What can differ between two indexes, in the order changes are listed.
_PART_FIELDS = (
    ("prefix_length", lambda p: p.sub_part),
    ("descending", lambda p: p.descending),
    ("expression", lambda p: p.expression),
    ("opclass", lambda p: (p.opclass, p.collation)),
    ("nulls_order", lambda p: p.nulls_first),
    ("operator", lambda p: p.operator),
)
_INDEX_FIELDS = (
    ("primary", lambda i: i.primary),
    ("unique", lambda i: i.unique),
    ("type", lambda i: i.index_type),
    ("include", lambda i: i.include_key()),
    ("predicate", lambda i: i.predicate),
    ("nulls_distinct", lambda i: i.nulls_not_distinct),
    ("constraint", lambda i: i.constraint),
    ("deferrable", lambda i: i.deferrable),
    ("parser", lambda i: i.parser),
    ("comment", lambda i: i.comment),
    ("visibility", lambda i: i.visible),
    ("validity", lambda i: i.valid),
    ("storage", lambda i: i.storage),
)


def _adopt_storage(index: Index, other: Index) -> tuple[Index, Index]:
    """The pair with unknown storage parameters (None: an older CSV or snapshot) taken
    from the other side, so they are neither drift nor changed by a migration."""
    if index.storage is None and other.storage is not None:
        return replace(index, storage=other.storage), other
    if other.storage is None and index.storage is not None:
        return index, replace(other, storage=index.storage)
    return index, other


def index_changes(base: Index, other: Index) -> list[str]:
    """List what differs between two indexes of the same name, in a stable order."""
    changes: list[str] = []
    # Expressions count as one anonymous slot here; their text is compared per part below.
    base_cols = [p.column_key if p.column is not None else "\0expr" for p in base.parts]
    other_cols = [p.column_key if p.column is not None else "\0expr" for p in other.parts]
    if base_cols != other_cols:
        changes.append("column_order" if sorted(base_cols) == sorted(other_cols) else "columns")
    else:
        pairs = list(zip(base.parts, other.parts, strict=True))
        changes.extend(name for name, get in _PART_FIELDS
                       if any(get(a) != get(b) for a, b in pairs))
    changes.extend(name for name, get in _INDEX_FIELDS if get(base) != get(other))
    return changes


def _match_tables(base: Snapshot, env: Snapshot) -> tuple[list[tuple[Table, Table]],
                                                          list[Table], list[Table]]:
    """Pair tables by name: exact first, then case-insensitively when unambiguous.

    The case fallback exists because one server may run with lower_case_table_names=1
    (Windows, macOS) while another keeps the case as written.
    """
    pairs: list[tuple[Table, Table]] = []
    only_base: list[Table] = []
    unmatched_env = dict(env.tables)
    pending: list[Table] = []
    for name, table in base.tables.items():
        other = unmatched_env.pop(name, None)
        if other is None:
            pending.append(table)
        else:
            pairs.append((table, other))
    if pending and unmatched_env:
        by_fold: dict[str, list[str]] = {}
        for name in unmatched_env:
            by_fold.setdefault(name.lower(), []).append(name)
        for table in pending:
            names = by_fold.get(table.name.lower(), [])
            if len(names) == 1:
                pairs.append((table, unmatched_env.pop(names.pop())))
            else:
                only_base.append(table)
    else:
        only_base = pending
    return pairs, only_base, list(unmatched_env.values())


def column_findings(env: str, schema: str | None, base: Table, other: Table) -> list[Finding]:
    """Column findings of a table pair; none when either side's columns were not read."""
    if base.columns is None or other.columns is None:
        return []
    return [Finding(env, schema, base.name, diff.kind, changes=list(diff.changes),
                    baseline_table=base, env_table=other, column=diff.column,
                    column_diff=diff)
            for diff in compare_columns(base.columns, other.columns)]


def constraint_findings(env: str, schema: str | None, base: Table, other: Table,
                        objects: frozenset[str]) -> list[Finding]:
    """Foreign-key, CHECK and table-option findings of a table pair, for the kinds both
    snapshots read (``objects``)."""
    findings: list[Finding] = []

    def add(kind: str, name: str, changes: list[str], **objs) -> None:
        findings.append(Finding(env, schema, base.name, kind, changes=changes,
                                baseline_table=base, env_table=other, constraint=name,
                                **objs))

    def add_paired(kinds: tuple[str, str, str, str], field: str, pairs) -> None:
        # kinds: (changed, renamed, missing, extra); field: the Finding fields' stem.
        changed, renamed, missing, extra = pairs
        for b, m, changes in changed:
            add(kinds[0], b.name, changes, **{f"baseline_{field}": b, f"current_{field}": m})
        for b, m in renamed:
            add(kinds[1], b.name, ["name"] + (["validity"] if b.valid != m.valid else []),
                **{f"baseline_{field}": b, f"current_{field}": m})
        for b in missing:
            add(kinds[2], b.name, [], **{f"baseline_{field}": b})
        for m in extra:
            add(kinds[3], m.name, [], **{f"current_{field}": m})

    if "foreign_keys" in objects:
        add_paired((FOREIGN_KEY_CHANGED, FOREIGN_KEY_RENAMED, FOREIGN_KEY_MISSING,
                    FOREIGN_KEY_EXTRA), "fk",
                   pair_objects(base.foreign_keys, other.foreign_keys, foreign_key_changes))
    if "checks" in objects and base.checks is not None and other.checks is not None:
        add_paired((CHECK_CHANGED, CHECK_RENAMED, CHECK_MISSING, CHECK_EXTRA), "check",
                   pair_objects(base.checks.values(), other.checks.values(), check_changes))
    if "options" in objects and base.options is not None and other.options is not None:
        changes = option_changes(base.options, other.options)
        if changes:
            add(OPTIONS_CHANGED, "", changes)
    return findings


def compare_tables(env: str, schema: str | None, base: Table, other: Table,
                   objects: frozenset[str] = frozenset()) -> list[Finding]:
    """Findings for one table present in both the baseline and the env: its indexes, its
    columns when both sides read them, and the foreign keys, checks and options of the
    kinds both snapshots read (``objects``)."""
    findings: list[Finding] = column_findings(env, schema, base, other)
    if objects:
        findings += constraint_findings(env, schema, base, other, objects)
    missing: list[Index] = []
    for key, index in base.indexes.items():
        mine = other.indexes.get(key)
        if mine is None:
            missing.append(index)
            continue
        if index.storage is None or mine.storage is None:
            index, mine = _adopt_storage(index, mine)
        # The same object (a live reader builds equal rows once: dialects/mysql/reuse.py)
        # or `==` (every field equal, shared key parts compare by identity) is the cheap
        # common case; equals() is what decides when the fields differ (name case...).
        if index is not mine and index != mine and not index.equals(mine):
            findings.append(Finding(env, schema, base.name, CHANGED, index.name, index, mine,
                                    index_changes(index, mine), base, other))
    extra = [ix for key, ix in other.indexes.items() if key not in base.indexes]
    # A rename is the same shape under another name; pair them before calling anything
    # missing or extra. A MySQL primary key is always called PRIMARY, so it only pairs
    # here on PostgreSQL/SQLite, where the primary key's index has a name of its own.
    # Unknown storage parameters on either side: shapes are matched without them.
    known = all(ix.storage is not None for ix in (*missing, *extra))
    by_shape: dict[tuple, list[Index]] = {}
    for ix in sorted(extra, key=lambda i: i.name_key, reverse=True):
        by_shape.setdefault(ix.shape_key(known), []).append(ix)
    renamed_away: set[str] = set()
    for index in sorted(missing, key=lambda i: i.name_key):
        candidates = by_shape.get(index.shape_key(known))
        if candidates:
            mine = candidates.pop()
            if not known:
                index, mine = _adopt_storage(index, mine)
            renamed_away.add(mine.name_key)
            changes = ["name"] + [c for c in index_changes(index, mine)
                                  if c in ("comment", "visibility", "validity")]
            findings.append(Finding(env, schema, base.name, RENAMED, index.name, index, mine,
                                    changes, base, other))
        else:
            findings.append(Finding(env, schema, base.name, MISSING, index.name, index, None,
                                    [], base, other))
    for ix in extra:
        if ix.name_key not in renamed_away:
            findings.append(Finding(env, schema, base.name, EXTRA, ix.name, None, ix, [],
                                    base, other))
    return findings


def compare_snapshots(env: str, base: Snapshot, other: Snapshot) -> list[Finding]:
    """All findings of one environment against the baseline."""
    pairs, only_base, only_env = _match_tables(base, other)
    findings: list[Finding] = []
    for table in only_base:
        findings.append(Finding(env, other.schema, table.name, TABLE_MISSING,
                                baseline_table=table))
    for table in only_env:
        findings.append(Finding(env, other.schema, table.name, TABLE_EXTRA, env_table=table))
    objects = base.objects & other.objects
    for base_table, env_table in pairs:
        # The same object (a reader's share: the table's cells were the same in both envs,
        # sources/tableshare.py) has nothing to differ in: compare_tables would find nothing.
        if base_table is not env_table:
            findings.extend(compare_tables(env, other.schema, base_table, env_table, objects))
    return findings


_CONSTRAINT_RANK = {"foreign_keys": 2, "checks": 3, "tables": 4}
_KIND_RANK = {kind: i for i, kind in enumerate(KINDS)}


def _order(f: Finding) -> tuple:
    return (f.table.lower(), f.table, (f.index or f.constraint or "").lower(),
            _KIND_RANK[f.kind], f.env)


def sort_findings(comparison: Comparison) -> None:
    """Put findings in report order: by table; indexes, then columns, foreign keys, checks
    and options; by name, kind, env."""
    rank = {name: i for i, name in enumerate(comparison.envs)}
    position = {}
    for f in comparison.findings:
        if f.constraint is not None:
            position[id(f)] = (_CONSTRAINT_RANK[f.object_kind], 0)
        elif f.column_diff is not None:
            col = f.column_diff.baseline or f.column_diff.current
            position[id(f)] = (1, col.position if f.column_diff.baseline else 10**6 + col.position)
    comparison.findings.sort(key=lambda f: (f.table.lower(), f.table,
                                            position.get(id(f), (0, 0)),
                                            *_order(f)[2:4], rank.get(f.env, 0)))


def compare(snapshots: dict[str, Snapshot], baseline: str) -> Comparison:
    """Compare every env in ``snapshots`` (in the given order) with ``baseline``."""
    base = snapshots[baseline]
    envs = [name for name in snapshots if name != baseline]
    findings: list[Finding] = []
    for env in envs:
        findings.extend(compare_snapshots(env, base, snapshots[env]))
    comparison = Comparison(baseline, envs, snapshots, findings)
    sort_findings(comparison)
    return comparison
