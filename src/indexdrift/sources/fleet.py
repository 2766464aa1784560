"""Fleets: an env that names many targets (a list of sources, or a schema pattern on one
server), read concurrently with a bounded pool.

Each target becomes an env of its own (``shards.shop_001``) and is compared with the
baseline on its own. A target that cannot be read (dead, slow, denied) is recorded with
its cause and does not stop the others; the caller reports the run as incomplete.

How many targets a fleet had is reported too (``FleetCount``): a schema pattern only
finds the schemas the account can see, so a fleet that shrank would otherwise look clean.
``min_targets`` / ``expect_targets`` turn such a shrink into a failed run.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

from indexdrift.core import registry as dialects
from indexdrift.core.errors import IndexDriftError, SourceError, cause_of
from indexdrift.core.i18n import Message
from indexdrift.core.limits import DEFAULT_JOBS
from indexdrift.model.tables import Snapshot
from indexdrift.sources.envspec import is_schema_source
from indexdrift.sources.urls import env_url, is_url, redact

if TYPE_CHECKING:  # a fleet env comes from indexdrift.toml, parsed only when there is one
    from indexdrift.sources.config import EnvConfig


@dataclass(frozen=True, slots=True)
class Target:
    """One source to read, under the env name it is reported as."""

    env: str
    source: str
    fleet: str | None = None  # the config env it belongs to, when part of a fleet


class NoTargets(SourceError):
    """A schema pattern that matched no schema the account can see."""


@dataclass(frozen=True, slots=True)
class FleetCount:
    """How many targets a fleet env had, and how many it should have."""

    env: str
    pattern: str | None  # the ``schemas`` LIKE pattern; None for listed sources
    matched: int | None  # targets found; None when listing the schemas failed
    read: int = 0  # of them, read (the others failed; see Comparison.incomplete)
    min_targets: int | None = None
    expect_targets: int | None = None

    def shortfall(self) -> str | None:
        """Why the count breaks ``min_targets`` / ``expect_targets``, or None when it doesn't."""
        if self.matched is None:
            return None  # the listing's own error is reported already
        wanted = None
        if self.expect_targets is not None and self.matched != self.expect_targets:
            wanted = f"expected {self.expect_targets} (expect_targets)"
        elif self.min_targets is not None and self.matched < self.min_targets:
            wanted = f"expected at least {self.min_targets} (min_targets)"
        if wanted is None:
            return None
        found = (f"schemas LIKE '{self.pattern}' matched" if self.pattern is not None
                 else "sources list")
        return f"env {self.env}: {found} {self.matched} target(s), {wanted}"


@dataclass(slots=True)
class FleetResult:
    """Snapshots read (in target order) and the targets that failed, with their cause."""

    snapshots: dict[str, Snapshot] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    errors: dict[str, BaseException] = field(default_factory=dict)  # the exceptions raised


def with_schema(server_url: str, schema: str) -> str:
    """The server URL pointing at ``schema`` (its query options kept)."""
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + quote(schema, safe=""), parts.query,
                       parts.fragment))


def list_schemas(server_url: str, pattern: str, env: str) -> list[str]:
    """Schemas on a MySQL/MariaDB server whose name is LIKE ``pattern`` (one query)."""
    url = env_url(server_url, env)
    lister = dialects.by_name(url.kind).module("schema_lister")
    if lister is None:
        raise SourceError(env, Message("error.fleet.pattern_scheme", pattern=repr(pattern),
                                       scheme=url.scheme))
    names = lister(url, env, pattern)
    if not names:
        raise NoTargets(env, Message("error.fleet.no_match", url=url.redacted,
                                     pattern=repr(pattern)))
    return names


def fleet_targets(env: EnvConfig) -> list[Target]:
    """The targets of a config env: itself, its listed sources, or its schema pattern."""
    if env.targets is not None:
        return [Target(f"{env.name}.{name}", source, env.name)
                for name, source in env.targets.items()]
    if env.schemas is not None:
        assert env.source is not None
        return [Target(f"{env.name}.{schema}", with_schema(env.source, schema), env.name)
                for schema in list_schemas(env.source, env.schemas, env.name)]
    assert env.source is not None
    return [Target(env.name, env.source)]


def _describe(exc: BaseException, env: str) -> str:
    """A one-line, credential-free cause (without an ``env NAME:`` prefix naming ``env``:
    the report's line names the target already)."""
    if isinstance(exc, SourceError | IndexDriftError):
        return redact(cause_of(exc, env))
    return redact(f"{type(exc).__name__}: {exc}")


def _read_in_process(source: str) -> bool:
    """True for a source read by Python code alone (a CSV or snapshot file, an export
    directory, a SQLite file): no server to wait for, so reading it in a thread of its
    own gains nothing. Live servers and schema files (loaded on a scratch server) wait."""
    return not is_url(source) and not is_schema_source(source)


def read_targets(targets: list[Target], read: Callable[[Target], Snapshot], *,
                 jobs: int = DEFAULT_JOBS, progress: bool | None = None,
                 deliver: Callable[[Target, Snapshot], None] | None = None,
                 first: str | None = None, threads: bool | None = None) -> FleetResult:
    """Read every target with at most ``jobs`` at a time; failures never stop the rest.

    ``threads=False``: one after another on this thread, in order (``first`` first), with
    the same results: for sources read by Python code holding the GIL (local files), where
    a pool only adds its own cost (concurrent.futures, thread start-up). The default
    (``None``) takes threads only when some target waits on a server (a live URL, schema
    files loaded on the scratch server).

    ``progress`` shows a rich progress bar on standard error (default: when it is a
    terminal and there are several targets).

    ``deliver``: each snapshot is handed to it (on this thread) as soon as it is read,
    instead of being kept in the result, the target ``first`` names before any other
    (it is read first; the others read meanwhile wait for it). Reads are then started
    only while fewer than twice ``jobs`` snapshots are running or waiting, so a fleet
    holds a bounded number of snapshots at any time whatever its size.
    """
    result = FleetResult()
    if not targets:
        return result
    if progress is None:
        progress = sys.stderr.isatty() and len(targets) > 1
    done: dict[str, Snapshot] = {}
    bar = None
    if progress:
        # lazy: rich's progress bar only when one is shown (start-up time)
        from rich.console import Console
        from rich.progress import Progress

        bar = Progress(console=Console(stderr=True), transient=True)
        bar.start()
        task = bar.add_task("reading", total=len(targets))
    workers = max(1, min(jobs, len(targets)))
    if threads is None:
        # Reading a file is Python work under the GIL: threads only interleave the
        # reads, holding every one's half-built rows at once (the peak memory, and the
        # system time of faulting it in, of three 40,000-index CSV files read together
        # was 1.8 times that of one after another), and start a pool (start-up time).
        threads = not all(_read_in_process(t.source) for t in targets)
    order = sorted(targets, key=lambda t: t.env != first) if deliver is not None else targets
    queue = iter(order)
    window = 2 * workers if deliver is not None else len(targets)
    waiting = first is not None and deliver is not None and any(t.env == first
                                                                 for t in targets)
    held: dict[str, Snapshot] = {}  # read before ``first``: delivered once it is

    def arrived(target: Target, snapshot: Snapshot) -> None:
        nonlocal waiting
        if deliver is None:
            done[target.env] = snapshot
        elif not waiting:
            deliver(target, snapshot)
        elif target.env != first:
            held[target.env] = snapshot
        else:
            waiting = False
            deliver(target, snapshot)
            for other in [t for t in targets if t.env in held]:
                deliver(other, held.pop(other.env))

    def failed(target: Target, exc: Exception) -> None:
        nonlocal waiting, deliver
        result.failures[target.env] = _describe(exc, target.env)
        result.errors[target.env] = exc
        if waiting and target.env == first:
            # Nothing to compare with: keep the rest (the caller fails).
            waiting, deliver = False, None
            done.update(held)
            held.clear()

    def settle(target: Target, outcome: Callable[[], Snapshot]) -> None:
        """One target's read is over: its snapshot arrives, or its failure is noted."""
        try:
            snapshot = outcome()
        except Exception as exc:  # noqa: BLE001 - one bad target must not stop others
            failed(target, exc)
        else:
            arrived(target, snapshot)
        if bar is not None:
            bar.advance(task)

    try:
        if not threads:
            for target in order:
                settle(target, lambda target=target: read(target))
            return _ordered(result, targets, done)
        # lazy: the pool (and the logging module it imports) only when reads overlap
        from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

        pool = ThreadPoolExecutor(max_workers=workers)
        try:
            pending: dict[Future, Target] = {}

            def submit() -> None:
                while len(pending) + len(held) < window:
                    target = next(queue, None)
                    if target is None:
                        return
                    pending[pool.submit(read, target)] = target

            submit()
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in [f for f in pending if f in finished]:  # submission order
                    settle(pending.pop(future), future.result)
                submit()
        except BaseException:
            # Interrupted: the queued targets are not read, the running ones not waited for.
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    finally:
        if bar is not None:
            bar.stop()
    return _ordered(result, targets, done)


def _ordered(result: FleetResult, targets: list[Target], done: dict[str, Snapshot]
             ) -> FleetResult:
    """``result`` with its snapshots and failures in target order."""
    result.snapshots = {t.env: done[t.env] for t in targets if t.env in done}
    result.failures = {t.env: result.failures[t.env] for t in targets
                       if t.env in result.failures}
    return result
