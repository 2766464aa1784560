"""PostgreSQL usage counters taken by the catalog read (``Snapshot.usage``), on the real
server: the same evidence as the view read on a connection of its own, no second read."""

from __future__ import annotations

import json
import time

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.core.registry import by_name
from indexdrift.dialects.postgresql.catalog import read_postgres
from indexdrift.evidence import SCANS, read_usage
from indexdrift.evidence.attach import read_reports
from indexdrift.sources import open_source
from indexdrift.sources.envspec import parse_envs
from indexdrift.sources.urls import parse_url

pytestmark = pytest.mark.postgres

TABLE = ('CREATE TABLE t (id int PRIMARY KEY, a int, b int, "C" int);'
         'CREATE INDEX idx_a ON t (a); CREATE INDEX idx_b ON t (b);'
         'CREATE INDEX "Idx_a" ON t ("C");'
         'INSERT INTO t SELECT g, g, g, g FROM generate_series(1, 2000) g; ANALYZE t;'
         'CREATE TABLE "Mixed" (id int PRIMARY KEY, v int); CREATE INDEX ix_v ON "Mixed" (v);'
         'CREATE TABLE no_index (x int)')


def scanned(postgres, db: str, queries: list[str], table: str, *indexes: str) -> None:
    """Run ``queries`` (index scans forced) and wait until the server shows a scan of one
    of ``indexes`` (pg_stat is flushed asynchronously; 15+ can flush now). No timing is
    asserted: the poll only waits for the counter."""
    with postgres.psycopg.connect(dbname=db, autocommit=True, **_conninfo(postgres)) as conn:
        conn.execute("SET enable_seqscan = off")
        conn.execute("SET enable_bitmapscan = off")
        for query in queries:
            conn.execute(query)
        if conn.info.server_version >= 150000:
            conn.execute("SELECT pg_stat_force_next_flush()")
        conn.execute("SELECT 1")
    url = postgres.url(db)
    for _ in range(50):
        report = read_usage(url, "dev")
        if any(report.evidence(table, index).reads for index in indexes):
            return
        time.sleep(0.1)
    raise AssertionError(f"the scans of {indexes} never showed in pg_stat_user_indexes")


def _conninfo(postgres) -> dict:
    info = postgres.admin.info
    return {"host": info.host, "port": info.port, "user": info.user}


def evidence_of(report, snapshot) -> dict:
    """Every index of the snapshot's evidence from ``report``, uptime left out (it ticks
    between two reads)."""
    return {(name, ix.name): (ev.reads, ev.unit, ev.since, ev.window_seconds, ev.last_used,
                              ev.source, ev.unavailable)
            for name, table in snapshot.tables.items() for ix in table.indexes.values()
            for ev in [report.evidence(name, ix.name)]}


def test_the_catalog_read_takes_the_counters_the_view_gives(postgres):
    """``usage=True``: the catalog rows carry each index's scans; every index's evidence
    (names differing only in case, a mixed-case table, unused indexes) is what a read of
    pg_stat_user_indexes on a connection of its own gives; without it there is none."""
    db = postgres.create_db("usage_cat")
    postgres.run(db, TABLE)
    scanned(postgres, db, ["SELECT a FROM t WHERE a = 1", "SELECT a FROM t WHERE a = 2",
                           'SELECT "C" FROM t WHERE "C" = 5',
                           'SELECT v FROM "Mixed" WHERE v = 1'], "t", "idx_a")
    url = parse_url(postgres.url(db))
    snapshot = read_postgres(url, "dev", usage=True)
    taken = snapshot.usage
    assert taken is not None and taken.source == "pg_stat_user_indexes"
    assert taken.unit == SCANS and taken.exact_names and taken.uptime_seconds >= 0
    assert taken.evidence("t", "idx_a").reads == 2
    assert taken.evidence("t", "Idx_a").reads == 1
    assert taken.evidence("t", "idx_b").reads == 0
    assert taken.evidence("Mixed", "ix_v").reads == 1
    assert taken.evidence("public.t", "idx_a").reads == 2  # qualified, as the view's report
    alone = read_usage(postgres.url(db), "dev")
    assert evidence_of(taken, snapshot) == evidence_of(alone, snapshot)
    assert read_postgres(url, "dev").usage is None


def test_other_schema_and_objects_transaction_take_them_too(postgres):
    """?schema= and --objects (the catalog queries in one REPEATABLE READ transaction, the
    columns on the same connection): the counters still come along, the same as alone."""
    db = postgres.create_db("usage_sch")
    postgres.run(db, "CREATE SCHEMA shop;"
                 "CREATE TABLE shop.t (id int PRIMARY KEY, a int, b int);"
                 "CREATE INDEX idx_b ON shop.t (b); CREATE TABLE public.t (b int);"
                 "CREATE INDEX idx_b_public ON public.t (b);"
                 "INSERT INTO shop.t SELECT g, g, g FROM generate_series(1, 2000) g;"
                 "ANALYZE shop.t")
    scanned(postgres, db, ["SELECT b FROM shop.t WHERE b = 7"], "shop.t", "idx_b")
    url = postgres.url(db, "shop")
    snapshot = open_source(url, "dev", columns=True, usage=True,
                           objects=frozenset({"foreign_keys", "checks", "options"}))
    assert snapshot.schema == "shop" and "t" in snapshot.tables
    assert snapshot.tables["t"].columns is not None
    assert snapshot.usage.evidence("t", "idx_b").reads == 1
    assert snapshot.usage.evidence("shop.t", "idx_b").reads == 1
    assert evidence_of(snapshot.usage, snapshot) == evidence_of(
        read_usage(url, "dev", "shop"), snapshot)


def test_attach_uses_the_counters_of_the_catalog_read_without_a_second_read(postgres):
    """The run's usage step asks no server again for an env whose catalog read took the
    counters: the database is gone by then, and the evidence is still the read's."""
    assert by_name("postgresql").usage_with_catalog
    prd, dev = postgres.create_db("usage_aprd"), postgres.create_db("usage_adev")
    postgres.run(prd, TABLE)
    postgres.run(dev, TABLE + ";CREATE INDEX ix_extra ON t (a, b)")
    scanned(postgres, dev, ["SELECT a, b FROM t WHERE a = 3 AND b = 3"], "t", "ix_extra")
    specs = parse_envs((f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}"))
    snaps = {s.name: open_source(s.source, s.name, usage=True) for s in specs}
    comparison = compare(snaps, "prd")
    postgres.admin.execute(f'DROP DATABASE "{dev}" WITH (FORCE)')
    reports = read_reports(comparison, specs, {"prd", "dev"})
    assert reports["dev"] is snaps["dev"].usage and reports["dev"].unavailable is None
    assert reports["dev"].evidence("t", "ix_extra").reads == 1
    # Read on its own now, the env is gone: what a second read would have reported.
    assert read_reports(compare({k: _no_usage(v) for k, v in snaps.items()}, "prd"), specs,
                        {"dev"})["dev"].unavailable


def _no_usage(snapshot):
    from dataclasses import replace

    return replace(snapshot, usage=None)


def _uptime_masked(value):
    if isinstance(value, dict):
        return {k: None if k in ("uptime_seconds", "window_seconds") else _uptime_masked(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_uptime_masked(v) for v in value]
    if isinstance(value, str) and "server up" in value:
        return value.split("server up")[0]
    return value


def test_compare_json_carries_the_counters_a_read_of_the_view_gives(postgres):
    """compare attaches the counters the catalog reads took: every usage (and baseline
    usage) of the JSON report is the evidence a read of pg_stat_user_indexes on a
    connection of its own gives for that env, table and index; --usage-from and --no-usage
    still decide whose."""
    prd, dev = postgres.create_db("usage_jprd"), postgres.create_db("usage_jdev")
    postgres.run(prd, TABLE)
    postgres.run(dev, TABLE + ";DROP INDEX idx_b; CREATE INDEX idx_ab ON t (a, b);"
                 "CREATE INDEX ix_extra ON t (b, a)")
    scanned(postgres, dev, ["SELECT a FROM t WHERE a = 3 AND b = 3",
                            "SELECT b FROM t WHERE b = 3 AND a > 0"], "t", "idx_a", "idx_ab",
            "ix_extra")
    scanned(postgres, prd, ["SELECT b FROM t WHERE b = 4"], "t", "idx_b")
    urls = {"prd": postgres.url(prd), "dev": postgres.url(dev)}
    args = ["compare", *(f"{env}={url}" for env, url in urls.items()), "--format", "json"]
    for extra in ([], ["--usage-from", "prd"], ["--no-usage"]):
        out = CliRunner().invoke(cli, [*args, *extra])
        assert out.exit_code == 1, out.output
        report = json.loads(out.stdout)
        views = {env: read_usage(url, env) for env, url in urls.items()}  # read after
        found = [u for f in report["findings"]
                 for u in (f["usage"], f.get("baseline_usage")) if u]
        assert bool(found) is (extra != ["--no-usage"])
        for usage in found:
            alone = views[usage["env"]].evidence(usage["table"], usage["index"]).as_json()
            assert _uptime_masked(usage) == _uptime_masked(alone)
        if extra != ["--no-usage"]:  # counts read by the catalog reads, not just zeros
            assert any(u["reads"] for u in found)
            assert {u["env"] for u in found} == ({"prd"} if extra else {"dev"})


def test_the_catalog_session_has_jit_off_and_others_keep_the_server_setting(postgres):
    """JIT compilation of the catalog query costs more than it saves on large schemas:
    the catalog reads' session turns it off; other sessions (explain's plans) keep the
    server's setting."""
    from indexdrift.dialects.postgresql.catalog import connect

    db = postgres.create_db("usage_jit")
    url = parse_url(postgres.url(db))
    server = postgres.admin.execute("SHOW jit").fetchone()[0]
    with connect(url, "dev", catalog=True) as conn:
        assert conn.execute("SHOW jit").fetchone()[0] == "off"
        assert conn.execute("SHOW default_transaction_read_only").fetchone()[0] == "on"
    with connect(url, "dev") as conn:
        assert conn.execute("SHOW jit").fetchone()[0] == server
