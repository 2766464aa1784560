"""Schema files read the server's way: loaded into a throw-away schema on the scratch
server (``--scratch``), read back by the live reader, dropped afterwards whatever happens
(an error, SIGINT). SQLite needs no server: a temporary database file.

Every default, normalisation and version rule is then the server's own: the snapshot of
``mariadb-dump --no-data`` output is what the live reader reads from the schema it came
from. The throw-away schema has a name of its own (``indexdrift_scratch_<random>``), so
the scratch account needs rights only on such schemas.
"""

from __future__ import annotations

import contextlib
import secrets
import signal
import sqlite3
import tempfile
import threading
from pathlib import Path

from indexdrift.core import registry as dialects
from indexdrift.core.errors import NO_TABLES_ERRORS, SourceError, TextError
from indexdrift.core.interrupts import Interrupted, cleanup_on_interrupt, stop_requested
from indexdrift.model.tables import Snapshot
from indexdrift.sources.schema_files import (
    SchemaFiles,
    Statement,
    discover,
    read_text,
    sniff_kind,
    split_liquibase,
    split_sqlite,
    split_statements,
)
from indexdrift.sources.schema_statements import RUN, disposition, is_set
from indexdrift.sources.scratch_session import StatementFailed, scratch_url
from indexdrift.sources.tableshare import TableShare
from indexdrift.sources.urls import is_url, parse_url

SCRATCH_PREFIX = "indexdrift_scratch_"
# ``--scratch sqlite:``: SQLite files need no server, only a word for the dialect.
_SQLITE_WORDS = ("sqlite", "sqlite:", "sqlite://", "sqlite::memory:")
# PostgreSQL: "unrecognized configuration parameter" (a newer pg_dump's SET, such as
# transaction_timeout, on an older server): a setting the server does not have cannot
# change what it stores.
_UNKNOWN_SETTING = "42704"


def scratch_name() -> str:
    """A fresh throw-away schema name."""
    return SCRATCH_PREFIX + secrets.token_hex(6)


def scratch_kind(url: str) -> str:
    """The family of a ``--scratch`` value (``sqlite:`` for SQLite); exit 2 otherwise."""
    if url.lower() in _SQLITE_WORDS:
        return "sqlite"
    if not is_url(url):
        raise TextError("schema.bad_scratch", url=url)
    return parse_url(url).kind


def read_schema_source(spec: str, env: str, *, detail: bool = False, columns: bool = False,
                       objects: frozenset[str] = frozenset(),
                       share: TableShare | None = None) -> tuple[Snapshot, str]:
    """The snapshot of a schema file or directory, and what check_snapshot still checks.
    ``share``: the run's TableShare, for a scratch server whose reader takes one."""
    files = discover(spec)
    texts = [(path, read_text(path)) for path in files.files]
    scratch = scratch_url()
    if scratch is None:
        sniffed = next((k for k in (sniff_kind(t) for _, t in texts) if k), None)
        if sniffed is not None:
            raise TextError("schema.no_scratch", env=env, path=spec,
                            dialect={"mysql": "MySQL/MariaDB"}.get(sniffed, "PostgreSQL"))
        raise TextError("schema.unknown_dialect", env=env, path=spec)
    kind = scratch_kind(scratch)
    statements: list[Statement] = []
    for path, text in texts:
        if files.layout == "liquibase":
            found = split_liquibase(path, text, kind)
        elif kind == "sqlite":
            found = split_sqlite(path, text)
        else:
            found = split_statements(path, text, kind)
        statements += [s for s in found if disposition(s, kind, env) == RUN]
    if not statements:
        raise TextError("schema.empty", env=env, path=spec)
    try:
        if kind == "sqlite":
            snapshot = _read_sqlite(statements, env, detail=detail, columns=columns,
                                    objects=objects)
        else:
            snapshot = _read_server(scratch, kind, files, statements, env, detail=detail,
                                    columns=columns, objects=objects, share=share)
    except NO_TABLES_ERRORS as exc:
        exc.snapshot.source = files.label  # type: ignore[attr-defined]
        raise
    snapshot.source = files.label
    return snapshot, dialects.by_name(kind).live_check


def _check_stop() -> None:
    # Reads run on worker threads, which signals never reach: the main thread's
    # interrupt is seen here, between two statements.
    if stop_requested():
        raise Interrupted(signal.SIGINT)


def _read_server(scratch: str, kind: str, files: SchemaFiles, statements: list[Statement],
                 env: str, *, detail: bool, columns: bool,
                 objects: frozenset[str], share: TableShare | None = None) -> Snapshot:
    dialect = dialects.by_name(kind)
    # The run's share, where the reader takes one: the tables it returns are not changed
    # here (only the snapshot's source and schema are).
    extra = {"share": share} if share is not None and dialect.takes_table_share else {}
    url = parse_url(scratch)
    session = dialect.module("scratch")(url, env, scratch_name())
    drop = _once(session.drop)
    # An interrupt ends the run without waiting for this (worker) thread: the CLI drops
    # the schema then (run_cleanups), else this finally does. Registered before the
    # schema exists, so no moment of its life escapes both.
    with cleanup_on_interrupt(drop):
        try:
            try:
                session.create()
            except SourceError as exc:
                raise TextError("schema.scratch_down", env=env, error=exc.detail) from None
            _load(session, statements, env, kind, retry=files.layout == "directory")
            snapshot = dialect.module("reader")(session.url.redacted, session.url, env,
                                                detail=detail, columns=columns,
                                                objects=objects, **extra)
        except BaseException:
            # The error on the way out is the one to show, not a failing drop's.
            with contextlib.suppress(Exception):
                drop()
            raise
        drop()  # a schema that cannot be dropped is an error of the run: it is left behind
    if kind == "mysql":
        snapshot.schema = None  # the throw-away name means nothing once dropped
    return snapshot


def _once(action):
    """``action`` run at most once, whichever thread calls first (the others wait)."""
    lock = threading.Lock()
    done = []

    def run() -> None:
        with lock:
            if not done:
                done.append(True)
                action()
    return run


def _load(session, statements: list[Statement], env: str, kind: str, retry: bool) -> None:
    """Run every statement in order. ``retry`` (a directory of one object per file, in
    name order): a statement that fails waits for the next pass, as long as each pass
    loads more; then the first still failing is the error."""
    pending = statements
    while pending:
        failed: list[tuple[Statement, StatementFailed]] = []
        for statement in pending:
            _check_stop()
            try:
                session.execute(statement.sql)
            except StatementFailed as exc:
                if kind == "postgresql" and is_set(statement) \
                        and exc.sqlstate == _UNKNOWN_SETTING:
                    continue
                if not retry:
                    raise TextError("schema.load_failed", env=env, where=statement.where,
                                    error=exc.message) from None
                failed.append((statement, exc))
        if not failed:
            return
        if len(failed) == len(pending):
            statement, exc = failed[0]
            raise TextError("schema.load_failed", env=env, where=statement.where,
                            error=exc.message)
        pending = [s for s, _ in failed]


class _SqliteSession:
    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)

    def execute(self, sql: str) -> None:
        try:
            self.conn.execute(sql)
        except (sqlite3.Error, sqlite3.Warning) as exc:
            raise StatementFailed(str(exc)) from None


def _read_sqlite(statements: list[Statement], env: str, *, detail: bool, columns: bool,
                 objects: frozenset[str]) -> Snapshot:
    with tempfile.TemporaryDirectory(prefix=SCRATCH_PREFIX) as tmp:
        path = Path(tmp) / "scratch.db"
        session = _SqliteSession(path)
        try:
            _load(session, statements, env, "sqlite", retry=False)
        finally:
            session.conn.close()
        spec = "sqlite:///" + str(path)
        reader = dialects.by_name("sqlite").module("reader")
        return reader(spec, parse_url(spec), env, detail=detail, columns=columns,
                      objects=objects)
