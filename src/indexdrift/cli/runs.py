"""One run of compare/check/migrate: which envs (arguments or indexdrift.toml), reading
them (fleets concurrently), ignore rules, the comparison, then waivers.

Exit codes shared by the commands: 0 clean, 1 drift that no waiver covers, 2 error or an
incomplete run (some target could not be read; the rest is still reported).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from indexdrift.cli.flavors import refuse_mixed_flavors
from indexdrift.cli.language import run_catalog
from indexdrift.cli.language import warn as say_warning
from indexdrift.core import registry
from indexdrift.core.errors import IndexDriftError, SourceError, TextError, cause_of
from indexdrift.core.i18n import localize
from indexdrift.model.tables import Snapshot
from indexdrift.sources import open_source
from indexdrift.sources.configfile import IgnoreRules, find_config
from indexdrift.sources.envspec import choose_baseline, parse_env
from indexdrift.sources.fleet import (
    DEFAULT_JOBS,
    FleetCount,
    NoTargets,
    Target,
    fleet_targets,
    read_targets,
)
from indexdrift.sources.scratch_session import set_scratch
from indexdrift.sources.tableshare import TableShare

# sources/config.py parses indexdrift.toml: imported only when there is one (start-up time).
# The compare loads when the first env is read, while the servers still work on the others:
# what runs before the catalog queries are on the wire is what a live run waits for
# (docs/performance.md).
if TYPE_CHECKING:
    from indexdrift.compare.stream import EnvSummary
    from indexdrift.compare.tables import Comparison, Finding
    from indexdrift.sources.config import Config, EnvConfig

EXIT_CLEAN, EXIT_DRIFT, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True, slots=True)
class UsageWanted:
    """Whose usage counters a run attaches (evidence.attach.attach_usage): every env's, or
    with ``usage_from`` that env's and the baseline's. Fleet targets too: a live reader
    takes them on its catalog connection and a target's summary keeps them
    (compare.stream.EnvSummary.usage), no second connection per target."""

    usage_from: str | None = None

    def wants(self, target: Target, baseline: str) -> bool:
        """True when ``target``'s counters will be attached."""
        return self.usage_from is None or target.env in (self.usage_from, baseline)


@dataclass(slots=True)
class Selection:
    """The envs chosen for a run (in order), the baseline among them, and the config."""

    entries: list[tuple[str, Target | None, EnvConfig | None]]  # name, target or fleet
    baseline: str
    config: Config | None


def config_for(path: str | None) -> Config | None:
    """The config of ``--config PATH`` or ./indexdrift.toml, or None without either."""
    found = find_config(path)
    config = None
    if found is not None:
        from indexdrift.sources.config import load_config

        config = load_config(found)
    set_scratch(config.scratch if config is not None else None, origin="config")
    return config


def _entry(name: str, env_config: EnvConfig) -> tuple[str, Target | None, EnvConfig | None]:
    if env_config.is_fleet:
        return name, None, env_config
    return name, Target(name, env_config.source or ""), None


_BARE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*")


def refuse_unknown_name(arg: str, config: Config | None) -> None:
    """A bare word that is neither a file nor an env of the config is a mistyped env name:
    say which envs the config has (not "no such file")."""
    if (config is None or not config.envs or not _BARE_NAME.fullmatch(arg)
            or os.path.lexists(arg)):
        return
    raise TextError("env.unknown_name", name=arg, config=str(config.path),
                    envs=", ".join(config.envs))


def select_envs(env_args: tuple[str, ...] | list[str], baseline: str | None,
                config: Config | None) -> Selection:
    """Envs from the arguments (a config env name, NAME=SOURCE or SOURCE) or the config.

    With a config, its baseline joins the run even when the arguments leave it out, so
    ``indexdrift compare dev`` compares dev with the configured baseline.
    """
    entries: list[tuple[str, Target | None, EnvConfig | None]] = []
    if env_args:
        for arg in env_args:
            if config is not None and arg in config.envs:
                entries.append(_entry(arg, config.envs[arg]))
            else:
                refuse_unknown_name(arg, config)
                spec = parse_env(arg)
                entries.append((spec.name, Target(spec.name, spec.source), None))
    elif config is not None and config.envs:
        entries = [_entry(name, env) for name, env in config.envs.items()]
    else:
        raise click.UsageError("give at least two environments (NAME=SOURCE or SOURCE), "
                               "or write them in indexdrift.toml (see --config)")
    wanted = baseline or (config.baseline if config is not None else None)
    names = [name for name, _, _ in entries]
    if (wanted is not None and wanted not in names and config is not None
            and wanted in config.envs):
        entries.insert(0, _entry(wanted, config.envs[wanted]))
        names.insert(0, wanted)
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise IndexDriftError(f"two environments are both called {name!r}; name them as "
                                  "NAME=SOURCE")
        seen.add(name)
    if len(entries) < 2 and not any(fleet for _, _, fleet in entries):
        raise click.UsageError("give at least two environments (a baseline and one to "
                               "compare with it)")
    base = choose_baseline(names, wanted)
    for name, target, _ in entries:
        if name == base and target is None:
            raise IndexDriftError(f"the baseline {name!r} is a fleet; the baseline must be "
                                  "one source")
    return Selection(entries, base, config)


def _reads_columns_live(source: str) -> bool:
    """True when ``source`` is a live server whose reader reads columns with the indexes."""
    scheme = source.split("://", 1)[0].lower() if "://" in source else ""
    found = registry.SCHEMES.get(scheme)
    return found is not None and found.live_columns


def read_selection(selection: Selection, *, detail: bool, jobs: int | None,
                   progress: bool | None = None, columns: dict[str, str] | None = None,
                   objects: frozenset[str] = frozenset(),
                   deliver: Callable[[Target, Snapshot], None] | None = None,
                   usage: UsageWanted | None = None
                   ) -> tuple[dict[str, Snapshot], dict[str, str], list[Target],
                              dict[str, int | None]]:
    """Expand fleets, read every target; returns snapshots, failures (env -> cause), the
    targets and per fleet env the number of targets found (None: listing them failed).
    ``columns`` (not None): read the columns too, from the env's COLUMNS file given there,
    else live on the catalog read's connection (sources.open_source). ``deliver``: each
    snapshot goes to it as soon as it is read, the baseline's first, and is not returned
    (sources.fleet.read_targets). ``usage``: the envs whose usage counters the run will
    attach; a live reader that can takes them on its catalog connection (Snapshot.usage).
    """
    jobs = jobs or (selection.config.jobs if selection.config else None) or DEFAULT_JOBS
    targets: list[Target] = []
    failures: dict[str, str] = {}
    matched: dict[str, int | None] = {}
    for name, target, fleet in selection.entries:
        if target is not None:
            targets.append(target)
            continue
        try:
            # A schema pattern costs one SCHEMATA query; a failure fails this fleet only.
            found = fleet_targets(fleet)  # type: ignore[arg-type]
        except IndexDriftError as exc:
            failures[name] = cause_of(exc, name)
            matched[name] = 0 if isinstance(exc, NoTargets) else None
            continue
        targets.extend(found)
        matched[name] = len(found)

    unknown = [name for name in columns or {} if name not in {t.env for t in targets}]
    if unknown:  # before anything is read
        raise IndexDriftError("--columns-from " + ", ".join(unknown) + ": no such environment "
                              "(have: " + ", ".join(t.env for t in targets) + ")")

    share = TableShare()  # the run's tables by their cells: equal ones are built once

    def read(target: Target) -> Snapshot:
        # What a migration needs includes a live source's columns (one more query on the
        # catalog read's connection), asked for or not: the plan then never writes an
        # index or a foreign key on a column the env does not have (plan/objects.py);
        # findings of columns are reported only when --objects asks.
        wanted = columns is not None or (detail and _reads_columns_live(target.source))
        return open_source(target.source, target.env, detail=detail, columns=wanted,
                           columns_file=(columns or {}).get(target.env), objects=objects,
                           usage=usage is not None and usage.wants(target, selection.baseline),
                           share=share)

    result = read_targets(targets, read, jobs=jobs, progress=progress, deliver=deliver,
                          first=selection.baseline)
    # A single env that cannot be read is an error of the whole run (nothing is written);
    # only fleet targets may fail alone, leaving an incomplete report of the rest.
    for target in targets:
        if target.fleet is None and target.env in result.errors:
            error = result.errors[target.env]
            if isinstance(error, IndexDriftError):
                raise error
            raise SourceError(target.env, result.failures[target.env])
    failures.update(result.failures)
    return result.snapshots, failures, targets, matched


def check_expected(selection: Selection, expected: dict[str, dict[str, int]] | None
                   ) -> dict[str, EnvConfig]:
    """The fleet envs of the run; an error when ``expected`` names an env that is none."""
    fleets = {name: fleet for name, _, fleet in selection.entries if fleet is not None}
    for key, counts in (expected or {}).items():
        flag = "--" + key.replace("_", "-")
        for env in counts:
            if env not in fleets:
                known = ", ".join(fleets) or "none"
                raise IndexDriftError(f"{flag} {env}: not a fleet env of this run "
                                      f"(fleets: {known})")
    return fleets


def fleet_counts(selection: Selection, matched: dict[str, int | None],
                 snapshots: Collection[str], targets: list[Target],
                 expected: dict[str, dict[str, int]] | None = None) -> list[FleetCount]:
    """Each fleet env's target count with its min/expect (config, overridden by the flags).

    ``expected`` maps ``min_targets`` / ``expect_targets`` to ``{env: N}`` from the command
    line; naming an env that is not a fleet of this run is an error.
    """
    expected = expected or {}
    fleets = check_expected(selection, expected)
    found = []
    for name, fleet in fleets.items():
        read = sum(1 for t in targets if t.fleet == name and t.env in snapshots)
        found.append(FleetCount(
            name, fleet.schemas, matched.get(name), read,
            expected.get("min_targets", {}).get(name, fleet.min_targets),
            expected.get("expect_targets", {}).get(name, fleet.expect_targets)))
    return found


class _Stream:
    """Takes each env as it is read: ignore rules, then (past the baseline) its comparison
    with the baseline; a fleet target's snapshot is then dropped for its summary unless
    the run keeps whole snapshots (compare/stream.py says what a summary keeps)."""

    def __init__(self, baseline: str, rules: IgnoreRules, keep_whole: bool,
                 lint: Callable[[Snapshot], list] | None) -> None:
        self.baseline = baseline
        self.rules = rules
        self.keep_whole = keep_whole
        self.lint = lint
        self.base: Snapshot | None = None
        self.envs: dict[str, Snapshot | EnvSummary] = {}
        self.findings: dict[str, list[Finding]] = {}

    def take(self, target: Target, snapshot: Snapshot) -> None:
        """Compare ``snapshot`` now (read_targets hands over the baseline first)."""
        from indexdrift.compare.ignore import apply_ignore
        from indexdrift.compare.stream import summarize
        from indexdrift.compare.tables import compare_snapshots

        apply_ignore(snapshot, self.rules)
        if target.env == self.baseline:
            self.base = self.envs[target.env] = snapshot
            return
        assert self.base is not None, "the baseline is delivered first"
        found = self.findings[target.env] = compare_snapshots(target.env, self.base, snapshot)
        if target.fleet is None or self.keep_whole:
            self.envs[target.env] = snapshot
            return
        self.envs[target.env] = summarize(self.base, snapshot, found,
                                          self.lint(snapshot) if self.lint else None)

    def in_order(self, targets: list[Target]) -> dict[str, Snapshot | EnvSummary]:
        """The envs read, in target order (the order of every report)."""
        return {t.env: self.envs[t.env] for t in targets if t.env in self.envs}


def run_comparison(env_args: tuple[str, ...] | list[str], baseline: str | None, *,
                   config_path: str | None = None, detail: bool = False,
                   jobs: int | None = None, progress: bool | None = None,
                   warn: Callable[[str], None] | None = None,
                   extend: Callable[[Comparison], None] | None = None,
                   expected: dict[str, dict[str, int]] | None = None,
                   columns: dict[str, str] | None = None,
                   objects: frozenset[str] = frozenset(),
                   lint: Callable[[Snapshot], list] | None = None,
                   usage: UsageWanted | None = None) -> Comparison:
    """Select, read, ignore, compare, waive: the whole run behind compare/check/migrate.

    ``columns`` (not None): every env's columns are read with it (from the COLUMNS file
    named there, else live) and compared; ``objects`` what else each source reads
    (sources.open_source). ``extend`` adjusts the findings (--objects)
    before the waivers are applied. ``expected``: the ``--min-targets`` / ``--expect-targets``
    counts (see fleet_counts); a fleet that breaks its count makes the run incomplete.

    Each env is compared with the baseline as soon as it is read. A fleet target's
    snapshot is then dropped, only its summary kept (``lint``: its advisories are taken
    first), unless ``detail``: a run that plans migrations reads whole envs. ``usage``:
    whose usage counters the run attaches afterwards (read_selection).
    """
    # One line each (language.warn): warnings quote snapshot files and config values.
    warn = warn or say_warning
    config = config_for(config_path)
    selection = select_envs(env_args, baseline, config)
    check_expected(selection, expected)  # before any target is read
    rules = config.ignore if config is not None else IgnoreRules()
    stream = _Stream(selection.baseline, rules, keep_whole=detail, lint=lint)
    _, failures, targets, matched = read_selection(selection, detail=detail, jobs=jobs,
                                                   progress=progress, columns=columns,
                                                   objects=objects, deliver=stream.take,
                                                   usage=usage)
    envs = stream.in_order(targets)
    fleets = fleet_counts(selection, matched, envs, targets, expected)
    for count in fleets:
        shortfall = count.shortfall()
        if shortfall is not None and count.env not in failures:
            failures[count.env] = shortfall
    catalog = run_catalog()
    for name, snap in envs.items():
        for warning in snap.warnings:
            warn(catalog.t("error.env", env=name, message=localize(warning, catalog)))
    from indexdrift.compare.stream import assemble
    from indexdrift.compare.waivers import apply_waivers

    comparison = assemble(selection.baseline, envs, stream.findings)
    refuse_mixed_flavors(comparison)  # before anything is reported
    comparison.incomplete = failures
    comparison.fleets = fleets
    comparison.env_sources = {t.env: t.source for t in targets if t.env in envs}
    if extend is not None:
        extend(comparison)
    if config is not None and config.waivers:
        for message in apply_waivers(comparison, config.waivers).messages():
            warn(message)
    for env, cause in failures.items():
        click.echo(f"error: {cause if cause.startswith('env ') else f'env {env}: {cause}'}",
                   err=True)
    return comparison


def env_args(comparison: Comparison) -> tuple[str, ...]:
    """``NAME=SOURCE`` of every env read, for the steps that read envs again."""
    return tuple(f"{name}={source}" for name, source in comparison.env_sources.items())


def exit_code(comparison: Comparison) -> int:
    """2 when a target could not be read, 1 for drift no waiver covers, else 0."""
    from indexdrift.compare.waivers import open_findings

    if comparison.incomplete:
        return EXIT_ERROR
    return EXIT_DRIFT if open_findings(comparison) else EXIT_CLEAN


def skip_waived(comparison: Comparison) -> None:
    """Leave waived findings out of a migration: an accepted difference is not fixed."""
    from indexdrift.compare.waivers import open_findings

    waived = [f for f in comparison.findings if f.waived]
    if waived:
        comparison.findings = open_findings(comparison)
        click.echo(f"note: {len(waived)} waived finding(s) left out of the migration",
                   err=True)
