"""Index usage evidence on the real PostgreSQL: pg_stat_user_indexes.idx_scan."""

from __future__ import annotations

import os
import time
import uuid

import pytest
from conftest import _unavailable

from indexdrift.core.i18n import Catalog
from indexdrift.evidence import SCANS, read_usage
from indexdrift.evidence.text import usage_text

pytestmark = pytest.mark.postgres

PG = dict(host=os.environ.get("INDEXDRIFT_TEST_PG_HOST", "127.0.0.1"),
          port=int(os.environ.get("INDEXDRIFT_TEST_PG_PORT", "5432")),
          user=os.environ.get("INDEXDRIFT_TEST_PG_USER", "postgres"))


@pytest.fixture
def pg_db():
    """A throw-away PostgreSQL database: (its URL, a connection to it)."""
    import psycopg

    try:
        admin = psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5, **PG)
    except Exception as exc:  # noqa: BLE001 - any connect failure means "no server"
        _unavailable(f"PostgreSQL at {PG['host']}:{PG['port']}", exc)
    name = f"idt_{uuid.uuid4().hex[:8]}_usage"
    admin.execute(f'CREATE DATABASE "{name}"')
    conn = psycopg.connect(dbname=name, autocommit=True, **PG)
    try:
        yield f"postgresql://{PG['user']}@{PG['host']}:{PG['port']}/{name}", conn
    finally:
        conn.close()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def usage_after_scans(url: str, conn, table: str, index: str):
    """The usage report once the index's scans are visible (pg_stat is updated
    asynchronously; 15+ can flush this session's counters now)."""
    conn.execute("SELECT pg_stat_force_next_flush()")
    conn.execute("SELECT 1")
    report = None
    for _ in range(50):  # poll briefly in case the flush lags (no timing is asserted)
        report = read_usage(url, "dev")
        if report.evidence(table, index).reads:
            break
        time.sleep(0.1)
    return report


def test_index_scans_are_counted_after_queries_that_use_the_index(pg_db):
    url, conn = pg_db
    conn.execute("CREATE TABLE t (id int PRIMARY KEY, a int, b int)")
    conn.execute("CREATE INDEX idx_a ON t (a)")
    conn.execute("CREATE INDEX idx_b ON t (b)")
    conn.execute("INSERT INTO t SELECT g, g, g FROM generate_series(1, 2000) g")
    conn.execute("ANALYZE t")
    for value in (1, 2, 3):
        conn.execute("SELECT a FROM t WHERE a = %s", (value,))
    report = usage_after_scans(url, conn, "t", "idx_a")
    assert report.unit == SCANS and report.source == "pg_stat_user_indexes"
    assert report.evidence("t", "idx_a").reads == 3
    assert report.evidence("public.t", "idx_a").reads == 3
    assert report.evidence("t", "idx_b").reads == 0
    assert report.uptime_seconds >= 0
    text = usage_text(report.evidence("t", "idx_a"), Catalog("en"))
    assert text.startswith("3 index scans")


def test_index_names_differing_only_in_case_keep_their_own_counts(pg_db):
    url, conn = pg_db
    conn.execute("CREATE TABLE t (id int PRIMARY KEY, a int, b int)")
    conn.execute('CREATE INDEX "Idx_a" ON t (a)')
    conn.execute("CREATE INDEX idx_a ON t (b)")
    conn.execute("INSERT INTO t SELECT g, g, g FROM generate_series(1, 2000) g")
    conn.execute("ANALYZE t")
    for value in (1, 2):
        conn.execute("SELECT a FROM t WHERE a = %s", (value,))  # uses "Idx_a"
    report = usage_after_scans(url, conn, "t", "Idx_a")
    assert report.evidence("t", "Idx_a").reads == 2
    assert report.evidence("t", "idx_a").reads == 0
