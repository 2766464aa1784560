"""Live MySQL 5.7/8.x and MariaDB reader: one catalog query per environment.

The server flavor and version (known from the handshake, no extra query) decide which
STATISTICS columns exist. The session is put in read-only mode before anything runs. On
MariaDB a read of indexes alone may add one small query on the same connection, for the
names without key parts only (base_tables).
"""

from __future__ import annotations

import functools
import getpass
import re
import sys
import threading
import warnings as pywarnings

from indexdrift.core.errors import NoTablesSource, SourceError
from indexdrift.core.gcpause import gc_paused
from indexdrift.core.i18n import Message
from indexdrift.core.target import Target
from indexdrift.dialects.mysql.catalog_json import folds, read_folded
from indexdrift.dialects.mysql.columns import CHECKS_QUERY as COLUMN_CHECKS_QUERY
from indexdrift.dialects.mysql.columns import QUERY as COLUMNS_QUERY
from indexdrift.dialects.mysql.columns import (
    columns_from_rows,
    fetch_column_rows,
    reads_column_checks,
)
from indexdrift.dialects.mysql.objects import (
    CHECKS,
    CHECKS_UNREADABLE,
    FOREIGN_KEYS,
    OPTIONS,
    ForeignKeyRows,
    build_checks,
    check_part,
    checks_readable,
    default_row_format_part,
    foreign_key_part,
    table_options,
)
from indexdrift.dialects.mysql.reuse import add_tables
from indexdrift.dialects.mysql.statistics import StatisticsBuilder, StatRow, cell_text
from indexdrift.dialects.mysql.usage import usage_on
from indexdrift.evidence import unreadable
from indexdrift.model.tables import Column, ForeignKey, Snapshot
from indexdrift.sources import url_timeouts
from indexdrift.sources.checks import check_columns
from indexdrift.sources.tableshare import TableShare
from indexdrift.sources.urls import DbUrl, redact, resolve_password

ACCESS_DENIED = 1045
_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)")


def parse_server_version(info: str) -> tuple[str, tuple[int, int, int]]:
    """Flavor and version from a server version string (``10.11.19-MariaDB-...``)."""
    flavor = "mariadb" if "mariadb" in info.lower() else "mysql"
    found = _VERSION.findall(info)
    # MariaDB may prefix its version with "5.5.5-" for old clients.
    numbers = found[-1] if flavor == "mariadb" and len(found) > 1 else (found[0] if found else
                                                                          ("0", "0", "0"))
    return flavor, tuple(int(n) for n in numbers)  # type: ignore[return-value]


def extended_columns(flavor: str, version: tuple[int, int, int]) -> tuple[str, str]:
    """SQL for the visibility and expression columns this server has (else NULL)."""
    server = Target(flavor, version)  # the columns exist where the features do
    if server.visibility == "INVISIBLE":
        return "IS_VISIBLE", "EXPRESSION" if server.functional else "NULL"
    if server.visibility == "IGNORED":
        return "CASE IGNORED WHEN 'YES' THEN 'NO' ELSE 'YES' END", "NULL"
    return "NULL", "NULL"


def catalog_query(flavor: str, version: tuple[int, int, int], detail: bool,
                  objects: frozenset[str] = frozenset()) -> tuple[str, int]:
    """The single UNION ALL query and how many times it takes the schema parameter.

    Row kinds: T a table, I a key part; with ``detail`` also F a foreign key column and
    A an AUTO_INCREMENT column (what migrations need to refuse unsafe drops); for the
    ``objects`` asked (dialects/mysql/objects.py) R a foreign key column with its
    reference and rules, C a CHECK constraint, D the default InnoDB row format, and the
    table options on the T rows. Without ``objects`` the query is the index read alone.
    """
    visible, expression = extended_columns(flavor, version)
    options = OPTIONS in objects
    if detail:
        table_cols = "ENGINE, DATA_LENGTH + INDEX_LENGTH"
    else:
        # The engine decides whether RESTRICT and NO ACTION are one rule (objects.py).
        table_cols = "ENGINE, NULL" if options or FOREIGN_KEYS in objects else "NULL, NULL"
    option_cols = ("TABLE_COLLATION, CREATE_OPTIONS, TABLE_COMMENT, NULL, NULL, NULL, NULL, "
                   "NULL" if options else "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL")
    # Where the T rows carry nothing but names, MariaDB lists them without opening a table
    # (Skip_open_table); TABLE_TYPE would open every table's definition, and base_tables()
    # then sorts out the few names that are not plainly tables.
    kind = "" if lists_names_only(flavor, detail, objects) else " AND TABLE_TYPE = 'BASE TABLE'"
    parts = [
        f"SELECT 'T', TABLE_NAME, {table_cols}, {option_cols} "
        f"FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s{kind}",
        "SELECT 'I', TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, COLLATION, "
        f"INDEX_TYPE, SUB_PART, INDEX_COMMENT, {visible}, {expression} "
        "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = %s",
    ]
    # P: a row only when the account holds SELECT on neither the server nor this schema,
    # i.e. it sees just the tables granted one by one; the view may then be partial.
    parts.append(partial_view_check(flavor))
    params = len(parts)
    if detail and FOREIGN_KEYS not in objects:  # R rows carry all that F rows would
        parts.append(
            "SELECT 'F', TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION, COLUMN_NAME, NULL, NULL, "
            "NULL, NULL, NULL, NULL, NULL FROM information_schema.KEY_COLUMN_USAGE "
            "WHERE TABLE_SCHEMA = %s AND REFERENCED_TABLE_NAME IS NOT NULL")
        params += 1
    if detail:
        parts.append(
            "SELECT 'A', TABLE_NAME, COLUMN_NAME, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
            "NULL FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s "
            "AND EXTRA LIKE '%%auto_increment%%'")
        params += 1
    if FOREIGN_KEYS in objects:
        parts.append(foreign_key_part())
        params += 2
    checks = check_part(flavor, version) if CHECKS in objects else None
    if checks is not None:
        parts.append(checks[0])
        params += checks[1]
    row_format = default_row_format_part(flavor, version) if options else None
    if row_format is not None:
        parts.append(row_format)
    return "\nUNION ALL\n".join(parts), params


# Names asked per base_tables() statement: at most 64 characters each (4 bytes a character,
# quoted, escaped), 1,000 keep a statement under 1 MiB, the smallest max_allowed_packet.
NAMES_PER_QUERY = 1000


def lists_names_only(flavor: str, detail: bool, objects: frozenset[str]) -> bool:
    """True when the catalog query's T part lists every name of the schema's tables,
    views and sequences, unopened: MariaDB's read of indexes alone.

    MariaDB answers TABLE_TYPE by opening each table's definition, and with more tables
    than ``table_definition_cache`` holds the STATISTICS part then opens each again: the
    T part cost the server ~25% of a 3 × 2,000-table read (docs/performance.md). A name
    listed without key part rows is then checked by base_tables(); every other name has
    STATISTICS rows, which only tables have. MySQL keeps TABLE_TYPE (8.0's catalog is a
    data dictionary, where the column costs nothing; no 5.7 server was at hand to measure),
    and so does a read of details or objects, whose T rows carry columns that open the
    table anyway.
    """
    return flavor == "mariadb" and not detail and not objects


def base_tables(conn, rows: list, schema: str) -> list:
    """The catalog rows with the T rows of names that are not base tables left out:
    what ``TABLE_TYPE = 'BASE TABLE'`` leaves in the T part (lists_names_only).

    Only names without any key part row are asked (tables without indexes, views,
    sequences; usually few): a second, small query on the catalog connection, whose
    condition on TABLE_NAME the server checks before opening anything, so it opens just
    those. A name the answer does not give exactly (a view, a sequence, a system-versioned
    table, or one dropped in between) loses its T row, as the single query would have
    left it out.
    """
    indexed: set[str | None] = set()
    listed: dict[str | None, None] = {}  # the T part's names, in their order, once each
    for row in rows:  # one pass: the key part rows are the bulk
        kind = _text(row[0])
        if kind == "I":
            indexed.add(_text(row[1]))
        elif kind == "T":
            listed[_text(row[1])] = None
    unsure = [name for name in listed if name not in indexed]
    if not unsure:
        return rows
    found: set[str] = set()
    with conn.cursor() as cur:
        # In chunks: a schema of many views must not make one statement larger than a
        # small max_allowed_packet.
        for start in range(0, len(unsure), NAMES_PER_QUERY):
            chunk = unsure[start:start + NAMES_PER_QUERY]
            cur.execute("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA "
                        "= %s AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME IN ("
                        + ", ".join(["%s"] * len(chunk)) + ")", (schema, *chunk))
            found.update(_text(row[0]) for row in cur.fetchall())
    left_out = set(unsure) - found
    if not left_out:
        return rows
    return [row for row in rows if _text(row[0]) != "T" or _text(row[1]) not in left_out]


def partial_view_check(flavor: str) -> str:
    """The UNION ALL part that yields a 'P' row when only table-level grants show tables.

    information_schema (like SHOW TABLES) lists only the tables an account holds some
    privilege on, so counting tables cannot reveal what is hidden; the grants can. A schema
    grant may itself be a pattern (``shop\\_%``), hence ``%s LIKE TABLE_SCHEMA``.
    """
    quote = "''''"
    me = (f"CONCAT({quote}, SUBSTRING_INDEX(CURRENT_USER(), '@', 1), '''@''', "
          f"SUBSTRING_INDEX(CURRENT_USER(), '@', -1), {quote})")
    grantees = [me]
    if flavor == "mariadb":
        grantees.append(f"CONCAT({quote}, CURRENT_ROLE(), {quote})")
    who = "GRANTEE IN (" + ", ".join(grantees) + ")"
    return ("SELECT 'P', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL "
            "FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM information_schema.USER_PRIVILEGES "
            f"WHERE {who} AND PRIVILEGE_TYPE = 'SELECT') AND NOT EXISTS (SELECT 1 FROM "
            f"information_schema.SCHEMA_PRIVILEGES WHERE {who} AND PRIVILEGE_TYPE = 'SELECT' "
            "AND %s LIKE TABLE_SCHEMA)")


PARTIAL_VIEW = ("this account has SELECT on only some tables of the schema (no server- or "
                "schema-wide SELECT grant); information_schema shows only the tables it was "
                "granted, so tables and indexes may be missing from this view")


_text = cell_text  # the name every part of this reader passes around


_TLS_LOCK = threading.Lock()


@functools.cache
def _connection_class():
    """PyMySQL's Connection, but the TLS context of "preferred" TLS (no ssl option: try
    TLS, go on without it when the server has none) built once per process.

    PyMySQL builds that context for every connection, before it knows whether the server
    speaks TLS, and building it loads the system's CA store (~0.02 s of CPU: a third of a
    2,000-table env's catalog decoding, and per target of a fleet). The context is the same
    every time (no CA, no certificate check: PyMySQL's own settings for this mode), so it
    is built once, without the CA store it never consults (_preferred_tls_context), and a
    context serves any number of connections and threads; contexts for ssl options given in
    the URL are built per connection by PyMySQL, as before.
    """
    import pymysql.connections

    shared: list = []

    class Connection(pymysql.connections.Connection):
        def _create_ssl_ctx(self, sslp):
            if not (isinstance(sslp, dict) and not sslp):
                return super()._create_ssl_ctx(sslp)
            with _TLS_LOCK:
                if not shared:
                    shared.append(_preferred_tls_context())
                return shared[0]

    return Connection


def _preferred_tls_context():
    """The context PyMySQL builds for "preferred" TLS, without the system's CA store.

    PyMySQL takes ``ssl.create_default_context()`` and then turns every check off (no CA
    given: CERT_NONE, no host name check), so the CA store it loads (~0.02 s of CPU, a
    tenth of a small compare's) is never consulted. This is that context without the
    load: the same protocol, options, ciphers and (for a key log a user asked for with
    SSLKEYLOGFILE, as create_default_context honours it) key log file.
    """
    import os
    import ssl

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.verify_flags &= ~ssl.VERIFY_X509_STRICT  # as PyMySQL (Python 3.13 sets it)
    keylog = os.environ.get("SSLKEYLOGFILE")
    if keylog and not sys.flags.ignore_environment and hasattr(ctx, "keylog_filename"):
        ctx.keylog_filename = keylog
    return ctx


def connect(url: DbUrl, env: str):
    """Open a read-only PyMySQL connection; the error names the env and the cause.

    Timeouts come from the URL (``connect_timeout``, ``read_timeout``: url_timeouts), for
    every caller alike (catalog, columns, usage, EXPLAIN, the fleet's SCHEMATA query).
    """
    import pymysql  # lazy: start-up imports no driver

    timeouts = url_timeouts(url, env)
    connect_timeout, read_timeout = timeouts["connect_timeout"], timeouts["read_timeout"]
    password, origin = resolve_password(url, env)
    if origin == "url":
        print(f"warning: env {env}: a password written in the URL ends up in shell history "
              "and the process list; use an environment variable or ~/.my.cnf instead",
              file=sys.stderr)
    kwargs = dict(
        host=url.host, port=url.port or 3306, user=url.user or getpass.getuser(),
        database=url.database, charset="utf8mb4", connect_timeout=connect_timeout,
        # The handshake is bounded by connect_timeout too: a port that accepts and never
        # answers must not hang for read_timeout. The read timeout is set once connected.
        read_timeout=connect_timeout, write_timeout=connect_timeout,
        init_command="SET SESSION TRANSACTION READ ONLY",
    )
    ssl_ca = url.params.get("ssl_ca") or url.params.get("ssl-ca")
    tls = {key: url.params[name] for key, name in (("cert", "ssl_cert"), ("key", "ssl_key"))
           if url.params.get(name)}
    if ssl_ca:
        tls["ca"] = ssl_ca
        kwargs["ssl_verify_identity"] = url.params.get("ssl_verify_identity", "1") != "0"
    if tls:
        kwargs["ssl"] = tls
    if url.host.startswith("/"):
        kwargs["unix_socket"] = url.host
    try:
        try:
            conn = _connection_class()(password=password or "", **kwargs)
        except pymysql.err.OperationalError as exc:
            if (exc.args and exc.args[0] == ACCESS_DENIED and password is None
                    and sys.stdin.isatty()):
                secret = getpass.getpass(f"password for {url.redacted} (env {env}): ")
                conn = _connection_class()(password=secret, **kwargs)
            else:
                raise
        # PyMySQL has no public setter; these are what its read/write paths consult.
        conn._read_timeout = conn._write_timeout = read_timeout
        return conn
    except pymysql.err.MySQLError as exc:
        code = exc.args[0] if exc.args else None
        message = redact(str(exc.args[1] if len(exc.args) > 1 else exc))
        hint = ""
        if code == ACCESS_DENIED:
            hint = Message("error.password_hint", variable=f"INDEXDRIFT_{env.upper()}_PASSWORD",
                           file="~/.my.cnf")
        raise SourceError(env, Message("error.cannot_connect", url=url.redacted,
                                       message=message, hint=hint)) from None
    except OSError as exc:
        raise SourceError(env, Message("error.cannot_connect", url=url.redacted,
                                       message=str(exc), hint="")) from None


def read_rows(cur, flavor: str, version: tuple[int, int, int], sql: str,
              args: tuple) -> list:
    """The catalog query's rows, in the server's order: each folded into one JSON value by
    the server where it can (catalog_json), else, or when a folded row did not come back
    whole, as plain rows."""
    import pymysql  # lazy: start-up imports no driver

    if folds(flavor, version):
        try:
            rows = read_folded(cur.connection, sql, args)
        except pymysql.err.MySQLError as exc:
            # An error of the server (below 2000; client errors such as a lost connection
            # are 2000+ and stand): the folded form must never fail a read the plain
            # query answers (a collation mix JSON_ARRAY refuses, a limit).
            if not (exc.args and isinstance(exc.args[0], int) and exc.args[0] < 2000):
                raise
            rows = None
        if rows is not None:
            return rows
    cur.execute(sql, args)
    return cur.fetchall()


def read_mysql(url: DbUrl, env: str, *, detail: bool = False, columns: bool = False,
               objects: frozenset[str] = frozenset(), usage: bool = False,
               share: TableShare | None = None) -> Snapshot:
    """Read one schema's indexes (and, with ``detail``, FKs, AUTO_INCREMENT, sizes; with
    ``columns``, every table's columns: a second query on the same connection; with
    ``objects``, the foreign keys, checks and table options asked, in the catalog query;
    with ``usage``, the index usage counters on the same connection, ``Snapshot.usage``).

    ``share``: the run's TableShare; in a read of indexes alone, a table whose catalog rows
    an earlier env of the run gave is that env's table object (reuse.add_tables)."""
    import pymysql  # lazy: start-up imports no driver

    if not url.database:
        raise SourceError(env, Message("error.url_no_schema", url=url.redacted))
    conn = connect(url, env)
    try:
        flavor, version = parse_server_version(conn.get_server_info())
        sql, params = catalog_query(flavor, version, detail, objects)
        try:
            with conn.cursor() as cur, pywarnings.catch_warnings(), gc_paused():
                pywarnings.simplefilter("ignore")
                rows = read_rows(cur, flavor, version, sql, (url.database,) * params)
                if lists_names_only(flavor, detail, objects):
                    rows = base_tables(conn, rows, url.database)
        except pymysql.err.MySQLError as exc:
            raise SourceError(env, Message("error.catalog_query", url=url.redacted,
                                           reason=redact(str(exc)))) from None
        column_rows = fetch_column_rows(conn, COLUMNS_QUERY, url, env) if columns else None
        column_checks = (fetch_column_rows(conn, COLUMN_CHECKS_QUERY, url, env)
                         if columns and reads_column_checks(flavor, version) else None)
        counters = _usage(conn, url, env, flavor) if usage else None
    finally:
        conn.close()
    snapshot = Snapshot(source=url.redacted, schema=url.database, flavor=flavor,
                        version=".".join(map(str, version)), has_details=detail,
                        usage=counters)
    with gc_paused():
        snapshot = build_snapshot(snapshot, rows, env, objects_read(flavor, version, objects),
                                  share=share)
    if CHECKS in objects and CHECKS not in snapshot.objects:
        snapshot.warnings.append(CHECKS_UNREADABLE)
    if column_rows is not None:
        snapshot.set_columns(check_columns(columns_from_rows(column_rows, flavor,
                                                             column_checks),
                                           env, snapshot.source))
    return snapshot


def _usage(conn, url: DbUrl, env: str, flavor: str):
    """The usage report read on the catalog connection (no second connection); counters
    that cannot be read make a report saying why, as when read on their own."""
    try:
        return usage_on(conn, url, env, flavor)
    except SourceError as exc:
        return unreadable(env, exc)


def read_mysql_columns(url: DbUrl, env: str) -> tuple[str, dict[str, dict[str, Column]]]:
    """The flavor and the columns of every base table of the URL's schema, alone (what
    ``export --objects columns`` writes)."""
    conn = connect(url, env)
    try:
        flavor, version = parse_server_version(conn.get_server_info())
        rows = fetch_column_rows(conn, COLUMNS_QUERY, url, env)
        column_checks = (fetch_column_rows(conn, COLUMN_CHECKS_QUERY, url, env)
                         if reads_column_checks(flavor, version) else None)
    finally:
        conn.close()
    return flavor, columns_from_rows(rows, flavor, column_checks)


def objects_read(flavor: str, version: tuple[int, int, int],
                 objects: frozenset[str]) -> frozenset[str]:
    """What of ``objects`` this server lets the catalog query read completely (CHECK
    constraints: not on MariaDB 10.2.1 to 10.2.21 / 10.3.0 to 10.3.9)."""
    known = {FOREIGN_KEYS, OPTIONS} & objects
    if CHECKS in objects and checks_readable(flavor, version) is not None:
        known.add(CHECKS)
    return frozenset(known)


def _stat_row(row) -> StatRow:
    """One ``I`` row of the catalog query as a StatRow."""
    return StatRow(
        _text(row[1]), _text(row[2]), int(row[3]) == 1, int(row[4]), _text(row[5]),
        _text(row[6]), _text(row[7]), int(row[8]) if row[8] is not None else None,
        _text(row[9]), _text(row[10]) != "NO", _text(row[11]),
    )


def build_snapshot(snapshot: Snapshot, rows: list[tuple], env: str,
                   objects: frozenset[str] = frozenset(),
                   share: TableShare | None = None) -> Snapshot:
    """Turn the catalog query's rows into a Snapshot; ``objects`` are the kinds the query
    read (objects_read), which every table then has and ``snapshot.objects`` names;
    ``share``: the run's TableShare (reuse.add_tables)."""
    builder = StatisticsBuilder(snapshot, f"env {env}")
    fks: dict[tuple[str, str], list[tuple[int, str]]] = {}
    full_fks = ForeignKeyRows(snapshot.schema)
    check_rows: list[tuple] = []
    table_rows: list[tuple] = []
    innodb_default = None
    # The I rows of each table in the server's order; the table is created when first
    # seen, as the builder does (reuse.add_tables builds or reuses its indexes).
    by_table: dict[str, list] = {}
    for row in rows:
        kind = _text(row[0])
        table = _text(row[1])
        if kind == "I":  # the bulk of the rows: tested first
            bucket = by_table.get(table)
            if bucket is None:
                snapshot.table(table)
                by_table[table] = [row]
            else:
                bucket.append(row)
        elif kind == "T":
            builder.add_table(table)
            t = snapshot.table(table)
            t.engine = _text(row[2])
            t.size_bytes = int(row[3]) if row[3] is not None else None
            if objects:
                table_rows.append(row)
        elif kind == "R":
            full_fks.add(row, _text)
        elif kind == "C":
            check_rows.append(row)
        elif kind == "D":
            innodb_default = _text(row[1])
        elif kind == "F":
            fks.setdefault((table, _text(row[2])), []).append((int(row[3]), _text(row[4])))
        elif kind == "A":
            snapshot.table(table).auto_increment_column = _text(row[2])
        elif kind == "P":
            snapshot.warnings.append(PARTIAL_VIEW)
    # Tables of indexes alone (no details, no objects) are shared whole between the envs
    # of a run (its share).
    add_tables(snapshot, builder, by_table, _stat_row,
               whole=not snapshot.has_details and not objects, share=share)
    for (table, name), cols in sorted(fks.items()):
        t = snapshot.table(table)
        t.foreign_keys = (*t.foreign_keys,
                          ForeignKey(table, name, tuple(c for _, c in sorted(cols))))
    if objects:
        _add_objects(snapshot, objects, table_rows, full_fks, check_rows, innodb_default)
    if not snapshot.tables:
        raise NoTablesSource(env, f"schema {snapshot.schema!r} on {snapshot.source} shows no "
                             "tables: it is empty, or this account cannot see its tables (a "
                             "weaker account sees fewer tables in information_schema)",
                             builder.build())
    return builder.build()


def _add_objects(snapshot: Snapshot, objects: frozenset[str], table_rows: list[tuple],
                 fks: ForeignKeyRows, check_rows: list[tuple],
                 innodb_default: str | None) -> None:
    """Give every table what the query read of ``objects`` and name the kinds in
    ``snapshot.objects`` (rows of tables the query did not list are not kept)."""
    tables = {_text(row[1]): row for row in table_rows}
    if FOREIGN_KEYS in objects:
        by_table = fks.build({name: _text(row[2]) for name, row in tables.items()}, _text)
        for name, table in snapshot.tables.items():
            table.foreign_keys = by_table.get(name, ())
    if CHECKS in objects:
        checks, warnings = build_checks(check_rows, snapshot.flavor or "mysql", _text)
        snapshot.warnings.extend(warnings)
        for name, table in snapshot.tables.items():
            table.checks = checks.get(name, {})
    if OPTIONS in objects:
        for name, table in snapshot.tables.items():
            row = tables.get(name)
            table.options = ({} if row is None else
                             table_options(_text(row[2]), _text(row[4]), _text(row[5]),
                                           _text(row[6]), innodb_default))
    snapshot.objects = snapshot.objects | objects


def read_url(spec: str, url: DbUrl, env: str, *, detail: bool, columns: bool,
             objects: frozenset[str] = frozenset(), usage: bool = False,
             share: TableShare | None = None) -> Snapshot:
    """The registry's reader (dialects.Dialect.reader): one schema of a live server;
    ``share``: the run's TableShare (registry ``takes_table_share``)."""
    return read_mysql(url, env, detail=detail, columns=columns, objects=objects, usage=usage,
                      share=share)


def schema_names(url: DbUrl, env: str, pattern: str) -> list[str]:
    """The registry's schema lister: schemas on the server whose name is LIKE ``pattern``
    (one SCHEMATA query), in name order."""
    import pymysql  # lazy: start-up imports no driver

    conn = connect(url, env)  # its timeouts from the URL, like every read
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA "
                        "WHERE SCHEMA_NAME LIKE %s ORDER BY SCHEMA_NAME", (pattern,))
            names = [row[0] if isinstance(row[0], str) else bytes(row[0]).decode()
                     for row in cur.fetchall()]
    except pymysql.err.MySQLError as exc:
        raise SourceError(env, Message("error.list_schemas", url=url.redacted,
                                       reason=redact(str(exc)))) from None
    finally:
        conn.close()
    return names
