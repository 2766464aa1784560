"""MySQL/MariaDB query plans for ``plans``: the EXPLAIN FORMAT=JSON reads and the indexes
a plan names (plans.py does the rest, whatever the database)."""

from __future__ import annotations

import re

from indexdrift.core.errors import SourceError
from indexdrift.dialects.mysql.catalog import connect
from indexdrift.evidence.plans import IndexRef, Query, _as_json
from indexdrift.sources.urls import DbUrl, redact

_MERGE = re.compile(r"^\s*(?:union|intersect|sort_union)\((.*)\)\s*$", re.IGNORECASE)


def _key_names(value: str) -> list[str]:
    """``idx_a`` or MySQL's index-merge spelling ``union(idx_a,intersect(b,c))``."""
    match = _MERGE.match(value)
    if not match:
        return [value]
    return [n for part in re.split(r"[(),]", match.group(1)) if (n := part.strip())
            and n.lower() not in ("union", "intersect", "sort_union")]


def mysql_plan_indexes(plan: object) -> list[tuple[str, str]]:
    """(table or alias, index) pairs named by a MySQL/MariaDB ``EXPLAIN FORMAT=JSON`` plan."""
    found: list[tuple[str, str]] = []

    def walk(node: object, table: str | None) -> None:
        if isinstance(node, dict):
            table = node.get("table_name", table) if isinstance(node.get("table_name"),
                                                                str) else table
            key = node.get("key")
            if isinstance(key, str) and table is not None:
                found.extend((table, name) for name in _key_names(key))
            for name, value in node.items():
                if name != "possible_keys":
                    walk(value, table)
        elif isinstance(node, list):
            for item in node:
                walk(item, table)

    walk(plan, None)
    return found


def explain_plans(url: DbUrl, env: str, queries: list[Query]):
    """(the schema's indexes, each query's plan) from a read-only session."""
    import pymysql  # lazy: start-up imports no driver

    if not url.database:
        raise SourceError(env, f"{url.redacted} names no schema (mysql://user@host/SCHEMA)")
    conn = connect(url, env)  # the session is READ ONLY before anything runs
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT TABLE_NAME, INDEX_NAME, MIN(NON_UNIQUE) FROM "
                        "information_schema.STATISTICS WHERE TABLE_SCHEMA = %s "
                        "GROUP BY TABLE_NAME, INDEX_NAME", (url.database,))
            catalog = [IndexRef(str(t), str(i), int(nu) == 0, str(i).upper() == "PRIMARY")
                       for t, i, nu in cur.fetchall()]
            plans = []
            for query in queries:
                try:
                    cur.execute("EXPLAIN FORMAT=JSON " + query.sql)
                    plans.append(_as_json(cur.fetchone()[0]))
                except pymysql.err.MySQLError as exc:
                    raise SourceError(env, f"EXPLAIN of query {query.number} (line "
                                      f"{query.line}) failed: {redact(str(exc))}") from None
    finally:
        conn.close()
    return catalog, plans


def plan_refs(raw: object, aliases: dict[str, str], by_key: dict, by_name: dict) -> list[IndexRef]:
    """The catalog indexes a plan uses: MySQL names them by table (or alias) and index."""
    refs = []
    for table, name in mysql_plan_indexes(raw):
        real = aliases.get(table.lower(), table)
        ref = by_key.get((real.lower(), name.lower()))
        if ref is not None:
            refs.append(ref)
    return refs
