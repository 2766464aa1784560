"""PostgreSQL query plans for ``plans``: the EXPLAIN (FORMAT JSON) reads and the indexes
a plan names (plans.py does the rest, whatever the database)."""

from __future__ import annotations

from indexdrift.core.errors import SourceError
from indexdrift.dialects.postgresql.catalog import connect
from indexdrift.evidence.plans import IndexRef, Query, _as_json
from indexdrift.sources.urls import DbUrl, redact


def postgres_plan_indexes(plan: object) -> list[str]:
    """Index names used by a PostgreSQL ``EXPLAIN (FORMAT JSON)`` plan."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("Index Name"), str):
                found.append(node["Index Name"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(plan)
    return found


def explain_plans(url: DbUrl, env: str, queries: list[Query]):
    """(the schema's indexes, each query's plan) from a read-only session."""
    import psycopg  # lazy: start-up imports no driver

    schema = url.params.get("schema") or "public"
    # The catalog reader's connect (libpq options, TLS, timeouts; read-only session).
    conn = connect(url, env, warn_password=False)
    try:
        rows = conn.execute(
            "SELECT c.relname, i.relname, x.indisunique, x.indisprimary FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
            (schema,)).fetchall()
        catalog = [IndexRef(t, i, bool(u), bool(p)) for t, i, u, p in rows]
        plans = []
        for query in queries:
            try:
                plans.append(_as_json(conn.execute("EXPLAIN (FORMAT JSON) " + query.sql)
                                      .fetchone()[0]))
            except psycopg.Error as exc:
                raise SourceError(env, f"EXPLAIN of query {query.number} (line {query.line}) "
                                  f"failed: {redact(str(exc).strip())}") from None
    finally:
        conn.close()
    return catalog, plans


def plan_refs(raw: object, aliases: dict[str, str], by_key: dict, by_name: dict) -> list[IndexRef]:
    """The catalog indexes a plan uses: PostgreSQL names an index alone (the first
    index of that name in the schema)."""
    return [ix for name in postgres_plan_indexes(raw) for ix in by_name.get(name.lower(), [])[:1]]
