"""Sources: every reader produces the same Snapshot model; this picks the reader."""

from __future__ import annotations

import math
import os

from indexdrift.core import registry as dialects
from indexdrift.core.errors import NO_TABLES_ERRORS, IndexDriftError, SourceError, TextError
from indexdrift.core.i18n import Message
from indexdrift.core.inputfile import check_input_spec
from indexdrift.core.limits import DEFAULT_TIMEOUTS, MAX_TIMEOUT
from indexdrift.model.tables import Snapshot
from indexdrift.sources.checks import check_columns, check_objects, check_snapshot
from indexdrift.sources.envspec import is_schema_source
from indexdrift.sources.sniff import INDEX_FILE, is_export_dir
from indexdrift.sources.tableshare import TableShare
from indexdrift.sources.urls import DbUrl, env_url, is_url

# The file formats whose reader takes a run's TableShare (``share=``): the tables they
# return are never changed afterwards by the reading (sources/tableshare.py). Live readers
# say so in the registry (``takes_table_share``).
SHARING_FORMATS = ("statistics-csv", "catalog-csv")

# DEFAULT_TIMEOUTS and MAX_TIMEOUT (seconds) live in core.limits (the --help texts name
# them); readers still take them from here. A non-finite value would reach the drivers as
# an error of their own: url_timeouts refuses it.


# The run's --connect-timeout / --read-timeout: the defaults of every URL that does not
# set its own (set_timeout).
_CHOSEN: dict[str, float] = {}


def set_timeout(key: str, value: float | None) -> None:
    """The run's default ``connect_timeout`` or ``read_timeout`` (seconds; None: the
    built-in default). A URL's own ``?connect_timeout=`` still wins."""
    if value is None:
        _CHOSEN.pop(key, None)
    else:
        _CHOSEN[key] = float(value)


def url_timeouts(url: DbUrl, env: str) -> dict[str, float]:
    """``connect_timeout`` and ``read_timeout`` (seconds): the URL's query, else the run's
    ``--connect-timeout`` / ``--read-timeout``, else the defaults.

    Every live connection takes its timeouts from here, so a bad value (``abc``, ``nan``,
    ``inf``, 0, more than a day) is one error naming the env, whichever command reads it.
    """
    found = {**DEFAULT_TIMEOUTS, **_CHOSEN}
    for key in DEFAULT_TIMEOUTS:
        if key not in url.params:
            continue
        text = url.params[key]
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise SourceError(env, Message("error.timeout_number", setting=f"{key}={text!r}"))
        if not 0 < value <= MAX_TIMEOUT:
            raise SourceError(env, Message("error.timeout_range", setting=f"{key}={text!r}",
                                           most=f"{MAX_TIMEOUT:.0f}"))
        found[key] = value
    return found


def open_source(spec: str, env: str, *, detail: bool = False, columns: bool = False,
                columns_file: str | None = None,
                objects: frozenset[str] = frozenset(), usage: bool = False,
                share: TableShare | None = None) -> Snapshot:
    """Read one environment from a URL or a file, refusing text no database can hold.

    ``detail`` asks live readers for what migrations need besides the indexes
    (foreign keys, AUTO_INCREMENT columns, table sizes). The snapshot of a live server
    passes ``checks.check_snapshot`` (no NUL byte anywhere); so does that of a snapshot or
    SQLite file, whose SQL texts (SQL no server produced for this read: expressions,
    predicates, checks, names and words written bare into DDL) are checked too. CSV
    readers refuse both line by line as they read, naming the line; their snapshots' checks,
    foreign-key words and table options pass ``checks.check_objects`` as well.

    ``columns`` asks for every table's columns too: from ``columns_file`` when given (an
    information_schema.COLUMNS export or a PostgreSQL column CSV), else read live by the
    MySQL/PostgreSQL reader on its own connection; other sources cannot give them.

    ``objects`` names what else to read completely where the source can ("foreign_keys",
    "checks", "options"); the snapshot's ``objects`` says what it did read.

    ``usage``: a live reader that can (registry ``usage_with_catalog``) also takes the
    index usage counters on its catalog connection (``Snapshot.usage``); others ignore it.

    ``share``: the run's tables by their raw cells; a CSV reader that takes it
    (``SHARING_FORMATS``) or a live reader that does (registry ``takes_table_share``, a
    schema file's scratch read included) returns an earlier env's table object for a table
    whose cells or catalog rows were the same there (sources/tableshare.py).
    """
    live = columns and columns_file is None
    try:
        snapshot, check = _read_source(spec, env, detail=detail, columns=live,
                                       objects=objects, usage=usage, share=share)
    except NO_TABLES_ERRORS as exc:
        if "options" not in objects:
            # Comparing indexes or columns, an env without tables is an account that
            # cannot see them far more often than an empty schema: an error.
            raise
        return _empty(exc.snapshot, env, columns_file if columns else None)  # type: ignore
    if check is not None:
        snapshot = check_snapshot(snapshot, env, sql=check == "sql")
    else:
        # A CSV reader checked its cells while reading; any check, foreign key or table
        # option it carries is checked here too (no reader can forget them).
        snapshot = check_objects(snapshot, env)
    if live and is_schema_source(spec):
        pass  # read by the scratch server's live reader, columns included
    elif live and not is_url(spec):
        # A file of indexes says nothing about columns: the team's COLUMNS export is a
        # second file, named with --columns-from or `columns =` in indexdrift.toml. (A
        # snapshot taken with --objects columns holds them.)
        if not any(t.columns is not None for t in snapshot.tables.values()):
            if os.path.isdir(spec):  # an export directory written without its columns
                raise IndexDriftError(Message("error.no_columns_csv", env=env, spec=spec))
            raise IndexDriftError(Message("error.indexes_only", env=env, spec=spec))
    elif live and not dialects.by_name(env_url(spec, env).kind).live_columns:
        # Anything else (SQLite) is not read yet: say so rather than report no drift.
        raise IndexDriftError(Message("error.columns_unsupported", env=env,
                                      kind=env_url(spec, env).kind))
    if columns_file is not None and columns:
        from indexdrift.sources.column_files import read_columns_file  # lazy: start-up time

        snapshot.set_columns(check_columns(read_columns_file(columns_file, env,
                                                             snapshot.flavor),
                                           env, columns_file))
    return snapshot


def _empty(snapshot: Snapshot, env: str, columns_file: str | None) -> Snapshot:
    """The snapshot of a source without tables, for a run that compares tables
    (``objects`` holds ``options``): every table of the baseline is created in it. Its
    warning says so; its COLUMNS file, when it has one, may be empty as well."""
    note = NO_TABLES_NOTE.format(env=env)
    if note not in snapshot.warnings:  # a snapshot file of it holds the note already
        snapshot.warnings.append(note)
    snapshot.objects = snapshot.objects | {"options"}
    if columns_file is not None:
        from indexdrift.sources.column_files import read_columns_file  # lazy: start-up time

        try:
            read_columns_file(columns_file, env, snapshot.flavor)
        except NO_TABLES_ERRORS:
            pass
    return snapshot


# The warning of an env without tables (the reports say it in their language:
# note.no_tables).
NO_TABLES_NOTE = ("{env} has no tables: every table will be created; check the account "
                  "sees the schema")


def _read_source(spec: str, env: str, *, detail: bool, columns: bool = False,
                 objects: frozenset[str] = frozenset(), usage: bool = False,
                 share: TableShare | None = None) -> tuple[Snapshot, str | None]:
    """The snapshot, and what ``check_snapshot`` still has to check: ``nul`` (a live
    server's), ``sql`` (a file's), None (a CSV reader's, checked while read)."""
    if is_url(spec):
        url = env_url(spec, env)
        # The readers' connections take their timeouts from the URL (url_timeouts).
        dialect = dialects.by_name(url.kind)
        extra: dict = {"usage": True} if usage and dialect.usage_with_catalog else {}
        if share is not None and dialect.takes_table_share:
            extra["share"] = share
        return (dialect.module("reader")(spec, url, env, detail=detail, columns=columns,
                                         objects=objects, **extra),
                dialect.live_check)
    if "://" in spec and not os.path.lexists(spec.partition("#")[0]):
        # mysq://..., mariadb://...: a typo of a scheme, not a file name.
        scheme = spec.split("://", 1)[0]
        raise TextError("source.unknown_scheme", env=env, scheme=scheme,
                        schemes=", ".join(f"{s}://" for s in sorted(dialects.SCHEMES)))
    if is_schema_source(spec):
        # SQL files: loaded on the scratch server, read back by its live reader.
        from indexdrift.sources.scratch import read_schema_source  # lazy: start-up time

        return read_schema_source(spec, env, detail=detail, columns=columns, objects=objects,
                                  share=share)
    if os.path.isdir(spec):
        # An export directory (sources/export_dir.py); its files are checked one by one.
        if not is_export_dir(spec):
            raise IndexDriftError(Message("error.dir_without_index", env=env, spec=spec,
                                          file=INDEX_FILE))
    else:
        check_input_spec(spec)  # a FIFO or device would block the sniffers and readers below
    kind = dialects.sniff_file(spec)
    reader = dialects.load(kind.reader)
    if kind.objects:
        return reader(spec, objects=objects), kind.check
    if share is not None and kind.name in SHARING_FORMATS:
        return reader(spec, share=share), kind.check
    return reader(spec), kind.check
