"""Live PostgreSQL 13–17 reader: one catalog query per environment.

Everything comes from the catalogs (``pg_index``, ``pg_class``, ``pg_am``,
``pg_constraint``, ``pg_attribute``, ``pg_opclass``, ``pg_collation``), field by field.
``pg_get_indexdef`` is only asked for one expression key part at a time and ``pg_get_expr``
for predicates: the whole ``indexdef`` text is never compared, because its spelling
changes between server versions. The session is read-only.
"""

from __future__ import annotations

import getpass
import json
import math
import sys
import threading
from functools import lru_cache
from time import monotonic

from indexdrift.core.errors import NoTablesSource, SourceError
from indexdrift.core.gcpause import gc_paused
from indexdrift.core.i18n import Message
from indexdrift.dialects.postgresql.array_casts import pin_array_casts
from indexdrift.dialects.postgresql.usage_counters import catalog_columns, usage_from_catalog
from indexdrift.evidence import unreadable
from indexdrift.model.tables import (
    Column,
    Index,
    KeyPart,
    Snapshot,
    names_case_sensitive,
    parse_storage,
)
from indexdrift.sources import DEFAULT_TIMEOUTS, url_timeouts
from indexdrift.sources.checks import check_columns
from indexdrift.sources.urls import DbUrl, redact, resolve_password

DEFAULT_SCHEMA = "public"
# libpq connection keywords a URL may carry through (?sslmode=require ...).
LIBPQ_PARAMS = ("sslmode", "sslrootcert", "sslcert", "sslkey", "application_name",
                "target_session_attrs", "gssencmode", "channel_binding", "passfile",
                "service")

_BUILDING = threading.Lock()

# indoption bits (src/include/catalog/pg_index.h)
INDOPTION_DESC = 1
INDOPTION_NULLS_FIRST = 2


def catalog_query(server_version: int, usage: bool = False) -> str:
    """The single catalog query: a row per table, or per index of a table.

    ``usage``: each row also carries its index's usage counters (usage_counters.catalog_columns,
    two more columns at the end; NULL on a table's row without an index), so a run that
    attaches usage needs no second connection nor a read of ``pg_stat_user_indexes``.

    Per key part arrays (in key order): column name or NULL, expression text or NULL,
    non-default operator class, non-default collation, indoption bits; the five come as
    one JSON text (``[[cols], [exprs], [opclasses], [collations], [options]]``), which
    repeats across tables and envs: the client decodes and builds each distinct one once
    (key_parts_of), instead of five arrays per index. INCLUDE columns come as their own
    array. Both ``%s`` are the schema name. The key parts of all the
    schema's indexes are unnested and aggregated in one set-based pass (hash joins), not
    per index: that keeps 10,000 tables at one catalog scan each.

    An EXCLUDE constraint's operators (``conexclop``, one per key part) come as names
    (``OPERATOR(schema.op)`` outside pg_catalog). The foreign keys that depend on an index
    (``contype = 'f'`` with ``conindid`` = the index, from any table) come as
    ``[table.]constraint`` texts, schema-qualified when the child lives elsewhere: such an
    index cannot be dropped while they exist. A DEFERRABLE constraint comes with its initial
    mode (``IMMEDIATE`` / ``DEFERRED``). The index's storage parameters (``WITH (...)``:
    fillfactor, pages_per_range, fastupdate...) come as ``pg_class.reloptions``, the
    ``name=value`` texts PostgreSQL stores (only the ones set explicitly).

    A partition's index that is attached to its partitioned table's index
    (``relispartition``) is not read: the parent's index makes and drops it, and its name is
    generated, so it is neither drift of its own nor something a migration can create.
    """
    nulls_not_distinct = "x.indnullsnotdistinct" if server_version >= 150000 else "false"
    usage_columns = f", {catalog_columns(server_version)}" if usage else ""
    return f"""
WITH ix AS (
  SELECT x.indexrelid, x.indrelid, x.indnkeyatts, x.indkey, x.indclass, x.indcollation,
         x.indoption
  FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = %s AND c.relkind IN ('r', 'p')
), k AS (
  SELECT ix.indexrelid, ix.indrelid, ix.indnkeyatts, k.*
  FROM ix, unnest(ix.indkey::int2[], ix.indclass::oid[], ix.indcollation::oid[],
                  ix.indoption::int2[]) WITH ORDINALITY AS k(attnum, opclass, coll, opt, ord)
), p AS (
  SELECT k.indexrelid,
         array_agg(a.attname::text ORDER BY k.ord) FILTER (WHERE k.ord <= k.indnkeyatts) AS cols,
         array_agg(CASE WHEN k.attnum = 0 THEN pg_get_indexdef(k.indexrelid, k.ord::int, true)
                   END ORDER BY k.ord) FILTER (WHERE k.ord <= k.indnkeyatts) AS exprs,
         array_agg(CASE WHEN NOT opc.opcdefault THEN
                     CASE WHEN opcn.nspname = 'pg_catalog' THEN quote_ident(opc.opcname)
                     ELSE quote_ident(opcn.nspname) || '.' || quote_ident(opc.opcname) END
                   END ORDER BY k.ord) FILTER (WHERE k.ord <= k.indnkeyatts) AS opclasses,
         array_agg(CASE WHEN k.coll <> 0 AND k.coll <> COALESCE(a.attcollation,
                                                           CASE WHEN k.attnum = 0 THEN 100 END)
                   THEN CASE WHEN colln.nspname = 'pg_catalog' THEN quote_ident(coll.collname)
                        ELSE quote_ident(colln.nspname) || '.' || quote_ident(coll.collname) END
                   END ORDER BY k.ord) FILTER (WHERE k.ord <= k.indnkeyatts) AS collations,
         array_agg(k.opt ORDER BY k.ord) FILTER (WHERE k.ord <= k.indnkeyatts) AS options,
         array_agg(a.attname::text ORDER BY k.ord) FILTER (WHERE k.ord > k.indnkeyatts)
           AS includes
  FROM k
  LEFT JOIN pg_attribute a ON a.attrelid = k.indrelid AND a.attnum = k.attnum AND k.attnum > 0
  LEFT JOIN pg_opclass opc ON opc.oid = k.opclass
  LEFT JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace
  LEFT JOIN pg_collation coll ON coll.oid = k.coll
  LEFT JOIN pg_namespace colln ON colln.oid = coll.collnamespace
  GROUP BY k.indexrelid
), fk AS (
  SELECT f.conindid,
         array_agg(CASE WHEN fc.relnamespace = ic.relnamespace THEN ''
                   ELSE fn.nspname::text || '.' END || fc.relname::text || '.'
                   || f.conname::text ORDER BY fc.relname, f.conname) AS dependents
  FROM pg_constraint f JOIN ix ON ix.indexrelid = f.conindid
  JOIN pg_class ic ON ic.oid = f.conindid
  JOIN pg_class fc ON fc.oid = f.conrelid
  JOIN pg_namespace fn ON fn.oid = fc.relnamespace
  WHERE f.contype = 'f'
  GROUP BY f.conindid
)
SELECT c.relname, c.relkind, i.relname, am.amname, x.indisunique, x.indisprimary,
       x.indisvalid AND x.indisready AS valid, {nulls_not_distinct}, con.contype,
       pg_get_expr(x.indpred, x.indrelid, true), d.description,
       json_build_array(p.cols, p.exprs, p.opclasses, p.collations, p.options)::text
         AS parts, p.includes,
       CASE WHEN con.contype = 'x' THEN (
         SELECT array_agg(CASE WHEN opn.nspname = 'pg_catalog' THEN o.oprname::text
                          ELSE 'OPERATOR(' || quote_ident(opn.nspname) || '.' || o.oprname
                               || ')' END ORDER BY e.ord)
         FROM unnest(con.conexclop) WITH ORDINALITY AS e(op, ord)
         JOIN pg_operator o ON o.oid = e.op
         JOIN pg_namespace opn ON opn.oid = o.oprnamespace) END AS operators,
       fk.dependents,
       CASE WHEN con.condeferrable THEN
         CASE WHEN con.condeferred THEN 'DEFERRED' ELSE 'IMMEDIATE' END END AS deferrable,
       i.reloptions::text[] AS storage{usage_columns}
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN (pg_index x JOIN pg_class i ON i.oid = x.indexrelid AND NOT i.relispartition)
     ON x.indrelid = c.oid
LEFT JOIN pg_am am ON am.oid = i.relam
LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.conrelid = c.oid
     AND con.contype IN ('p', 'u', 'x')
LEFT JOIN pg_description d ON d.objoid = x.indexrelid
     AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
LEFT JOIN p ON p.indexrelid = x.indexrelid
LEFT JOIN fk ON fk.conindid = x.indexrelid
WHERE n.nspname = %s AND c.relkind IN ('r', 'p')
"""


def _bounded(gen, seconds: float, timed_out):
    """``gen`` (a psycopg wait generator) failing with ``timed_out()`` once ``seconds`` pass
    without the socket becoming ready: the read timeout, like PyMySQL's, counts silence."""
    deadline = monotonic() + seconds
    try:
        wanted = next(gen)
        while True:
            ready = yield wanted
            if ready:
                deadline = monotonic() + seconds
            elif monotonic() >= deadline:
                gen.close()
                raise timed_out()
            wanted = gen.send(ready)
    except StopIteration as stop:
        return stop.value


@lru_cache(maxsize=1)
def _connection_class():
    """A psycopg Connection whose every wait on the server gives up after ``read_timeout``.

    psycopg waits on a non-blocking socket with poll() and wakes every 0.1 s, so neither a
    socket timeout nor TCP keepalives (a stalled server still acknowledges) would end the
    wait; the wait generator itself has to see the silence.
    """
    import psycopg  # lazy: start-up imports no driver

    class ReadTimeout(psycopg.OperationalError):
        """The server sent nothing for ``read_timeout`` seconds."""

    class BoundedConnection(psycopg.Connection):
        read_timeout: float = DEFAULT_TIMEOUTS["read_timeout"]

        def wait(self, gen, *args, **kwargs):
            seconds = self.read_timeout

            def timed_out():
                return ReadTimeout(f"timed out: no answer for {seconds:g} s (read_timeout)")
            return super().wait(_bounded(gen, seconds, timed_out), *args, **kwargs)

    return BoundedConnection


def connect(url: DbUrl, env: str, *, warn_password: bool = True, catalog: bool = False):
    """Open a read-only psycopg connection; the error names the env and the cause.

    Timeouts come from the URL (``connect_timeout``, ``read_timeout``: url_timeouts): a
    server that stops answering mid-session fails the read within ``read_timeout``.
    ``warn_password=False`` for a second connection to an env already warned about.
    ``catalog``: a session for the catalog reads, with JIT compilation off (below).
    """
    import psycopg  # lazy: start-up imports no driver

    timeouts = url_timeouts(url, env)
    password, origin = resolve_password(url, env)
    if origin == "url" and warn_password:
        print(f"warning: env {env}: a password written in the URL ends up in shell history "
              "and the process list; use an environment variable or ~/.pgpass instead",
              file=sys.stderr)
    kwargs: dict[str, object] = dict(
        host=url.host, port=url.port or 5432, user=url.user or getpass.getuser(),
        dbname=url.database, connect_timeout=max(1, math.ceil(timeouts["connect_timeout"])),
        # standard_conforming_strings on: the catalog prints literals one way (never E''
        # just because a server or database set it off), so envs compare alike.
        options="-c default_transaction_read_only=on -c standard_conforming_strings=on"
        # JIT off for the catalog reads: on a large schema the planner's cost estimate of
        # the catalog query passes jit_above_cost, and compiling it cost more than it saved
        # (10,000 tables: ~0.2-0.3 s of a 1.2 s query). It changes no result; a session
        # that shows plans (explain) keeps the server's setting.
        + (" -c jit=off" if catalog else ""),
        autocommit=True,
    )
    for key in LIBPQ_PARAMS:
        if key in url.params:
            kwargs[key] = url.params[key]
    if password is not None:
        kwargs["password"] = password
    try:
        conn = _connection_class().connect(**kwargs)
    except psycopg.Error as exc:
        message = redact(str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc))
        hint = ""
        if "password" in message.lower():
            hint = Message("error.password_hint", variable=f"INDEXDRIFT_{env.upper()}_PASSWORD",
                           file="~/.pgpass")
        raise SourceError(env, Message("error.cannot_connect", url=url.redacted,
                                       message=message, hint=hint)) from None
    conn.read_timeout = timeouts["read_timeout"]
    return conn


def server_version_text(number: int) -> str:
    """``150020`` -> ``15.20`` (PostgreSQL 10+ numbering)."""
    return f"{number // 10000}.{number % 10000}"


def _schema_of(url: DbUrl, env: str) -> str:
    """The schema a URL reads (``?schema=``, default public); a URL without a database
    is refused."""
    if not url.database:
        raise SourceError(env, Message("error.url_no_database", url=url.redacted))
    return url.params.get("schema") or DEFAULT_SCHEMA


def read_postgres(url: DbUrl, env: str, *, detail: bool = False,
                  columns: bool = False, objects: frozenset[str] = frozenset(),
                  usage: bool = False) -> Snapshot:
    """Read one schema's indexes (``?schema=``, default public) with one catalog query;
    with ``columns``, every table's columns too (a second query, same connection); with
    ``objects`` (``foreign_keys``, ``checks``, ``options``), those too (one more query,
    catalog_objects.py). Asked for objects, the queries share one transaction snapshot
    (REPEATABLE READ), so the keys and checks read belong to the tables read. With
    ``usage``, the index usage counters come with the catalog rows and their window from
    one more query on the same connection (``Snapshot.usage``; usage_counters.py)."""
    import psycopg  # lazy: start-up imports no driver

    # The objects' and the columns' readers load only when asked: what runs before the
    # catalog query is on the wire is what a run waits for (docs/performance.md).
    if objects:
        from indexdrift.dialects.postgresql import catalog_objects
    schema = _schema_of(url, env)
    asked = frozenset(objects) & frozenset(catalog_objects.KINDS) if objects else frozenset()
    conn = connect(url, env, catalog=True)
    try:
        number = conn.info.server_version
        try:
            with conn.cursor() as cur, gc_paused():  # as when building: see below
                if asked:
                    # Ended by the close below (nothing was written): no COMMIT round trip.
                    cur.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cur.execute(catalog_query(number, usage), (schema, schema))
                rows = cur.fetchall()
        except psycopg.Error as exc:
            raise SourceError(env, Message("error.catalog_query", url=url.redacted,
                                           reason=redact(str(exc).strip()))) from None
        object_rows = (catalog_objects.fetch_object_rows(conn, number, schema, asked, url,
                                                         env) if asked else None)
        column_rows = None
        if columns:
            from indexdrift.dialects.postgresql.columns import fetch_pg_column_rows

            column_rows = fetch_pg_column_rows(conn, schema, url, env)
        # Last: in the objects' transaction a failure here would end it for the others.
        counters = _usage(conn, rows, schema, url, env) if usage else None
    finally:
        conn.close()
    snapshot = Snapshot(source=url.redacted, schema=schema, flavor="postgresql",
                        version=server_version_text(number), has_details=True,
                        usage=counters)
    # One env's rows at a time: the envs' answers often arrive together, and building is
    # Python work under the GIL anyway; in turn, the later envs find most of their
    # indexes already built by the first (_index).
    # The cyclic collector off while building (core/gcpause.py): the rows and the model
    # are tens of thousands of acyclic objects it would otherwise walk again and again
    # (about half the building time of a large schema).
    with _BUILDING, gc_paused():
        build_snapshot(snapshot, rows)
    if object_rows is not None:
        catalog_objects.apply_object_rows(snapshot, object_rows, asked)
    if not snapshot.tables:
        if column_rows is not None:
            snapshot.set_columns({})
        raise NoTablesSource(env, f"schema {schema!r} on {url.redacted} shows no tables: it "
                             "is empty, does not exist, or this account cannot see it",
                             snapshot)
    if column_rows is not None:
        from indexdrift.dialects.postgresql.columns import columns_from_pg_rows

        snapshot.set_columns(check_columns(columns_from_pg_rows(column_rows), env,
                                           snapshot.source))
    return snapshot


def _usage(conn, rows: list[tuple], schema: str, url: DbUrl, env: str):
    """The usage report read on the catalog connection; counters that cannot be read make a
    report saying why, as when read on their own (evidence.attach)."""
    try:
        return usage_from_catalog(conn, rows, schema, url, env)
    except SourceError as exc:
        return unreadable(env, exc)


def read_postgres_columns(url: DbUrl, env: str) -> dict[str, dict[str, Column]]:
    """The columns of every table of the URL's schema (``?schema=``, default public)."""
    return read_postgres_catalog(url, env)[2]


def read_postgres_catalog(url: DbUrl, env: str
                          ) -> tuple[str, str, dict[str, dict[str, Column]]]:
    """(server version text, schema, columns) of the URL's schema, alone; ``export
    --objects columns`` writes all three (columns/pgcsv.py)."""
    import psycopg  # lazy: start-up imports no driver

    from indexdrift.dialects.postgresql.columns import columns_from_pg_rows, fetch_pg_column_rows

    schema = _schema_of(url, env)
    conn = connect(url, env, catalog=True)
    try:
        rows = fetch_pg_column_rows(conn, schema, url, env)
        try:
            version = server_version_text(conn.info.server_version)
        except psycopg.Error as exc:
            raise SourceError(env, Message("error.column_query", url=url.redacted,
                                           reason=redact(str(exc).strip()))) from None
    finally:
        conn.close()
    return version, schema, columns_from_pg_rows(rows)


# Key parts repeat across thousands of indexes and across the envs of one run; building
# each distinct one once saves most of the model-building time (as statistics._key_part
# does for MySQL; lru_cache is thread-safe, so the concurrent readers share it).
@lru_cache(maxsize=1 << 16)
def _key_part(col, expr, opclass, collation, option, operator, ordered: bool) -> KeyPart:
    option = int(option or 0)
    descending = bool(option & INDOPTION_DESC)
    nulls_first = bool(option & INDOPTION_NULLS_FIRST)
    return KeyPart(
        column=col if expr is None else None,
        expression=expr,
        descending=descending,
        opclass=opclass,
        collation=collation,
        # The default is NULLS LAST for ASC and NULLS FIRST for DESC.
        nulls_first=nulls_first if ordered and nulls_first != descending else None,
        operator=operator,
        exact_column=True,  # "Email" and email are two columns in PostgreSQL
    )


def key_parts(cols, exprs, opclasses, collations, options, amname: str,
              operators=None) -> tuple[KeyPart, ...]:
    """Key parts from the per-part arrays; NULLS FIRST/LAST only when not the default;
    ``operators`` only for an EXCLUDE constraint (one per key part)."""
    operators = operators or [None] * len(cols or ())
    ordered = amname == "btree"
    return tuple(_key_part(*key, ordered) for key in zip(
        cols or (), exprs or (), opclasses or (), collations or (), options or (), operators,
        strict=True))


@lru_cache(maxsize=1 << 14)
def key_parts_of(parts: str, amname: str, operators: tuple | None) -> tuple[KeyPart, ...]:
    """Key parts from the catalog query's ``parts`` JSON text (see catalog_query), each
    distinct text decoded once (cached: it repeats across tables and envs)."""
    cols, exprs, opclasses, collations, options = json.loads(parts)
    return key_parts(cols, exprs, opclasses, collations, options, amname, operators)


def build_snapshot(snapshot: Snapshot, rows: list[tuple]) -> Snapshot:
    """Turn the catalog query's rows into the Snapshot (tables and their indexes); the
    usage columns a row may end with are not read here."""
    exact = names_case_sensitive(snapshot.flavor)
    tables = snapshot.tables
    for (table, relkind, name, amname, unique, primary, valid, nulls_not_distinct, contype,
         predicate, comment, parts, includes, operators, dependents, deferrable,
         storage, *_usage) in rows:  # the usage columns, when asked: usage_from_catalog
        t = tables.get(table)
        if t is None:
            t = snapshot.table(table)
        if relkind == "p":
            t.engine = "partitioned"
        if name is None:
            continue
        index = _index(table, name, amname, unique, primary, valid, nulls_not_distinct,
                       contype, predicate, comment, parts,
                       None if includes is None else tuple(includes),
                       None if operators is None else tuple(operators), deferrable,
                       None if storage is None else tuple(storage), exact)
        t.add(index)
        if dependents:
            t.referenced_by[index.name_key] = tuple(dependents)
    return snapshot


# An index is most often the same in every env of a run (same table, name and catalog
# row): the envs' readers share one immutable Index for it, built once (lru_cache is
# thread-safe). Bounded, so a fleet of different schemas keeps at most this many.
@lru_cache(maxsize=1 << 16)
def _index(table: str, name: str, amname: str, unique, primary, valid, nulls_not_distinct,
           contype, predicate, comment, parts: str, includes: tuple | None,
           operators: tuple | None, deferrable, storage: tuple | None, exact: bool) -> Index:
    """One index from its catalog row (hashable: the arrays as tuples)."""
    return Index(
        table=table,
        name=name,
        parts=key_parts_of(parts, amname, operators),
        unique=bool(unique),
        primary=bool(primary),
        index_type=amname.upper(),
        comment=comment or "",
        include=includes or (),
        predicate=pin_array_casts(predicate),
        nulls_not_distinct=bool(nulls_not_distinct),
        constraint=contype,
        deferrable=deferrable,
        valid=bool(valid),
        storage=parse_storage(storage),
        exact_name=exact,
    )


def read_url(spec: str, url: DbUrl, env: str, *, detail: bool, columns: bool,
             objects: frozenset[str] = frozenset(), usage: bool = False) -> Snapshot:
    """The registry's reader (dialects.Dialect.reader): one schema of a live server."""
    return read_postgres(url, env, detail=detail, columns=columns, objects=objects,
                         usage=usage)
