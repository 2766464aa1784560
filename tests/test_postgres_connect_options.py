"""One connect per database: every PostgreSQL read (the catalog, usage evidence, plans)
honours the env's libpq options, on the real server."""

from __future__ import annotations

import pytest

from indexdrift.core.errors import SourceError
from indexdrift.evidence import read_usage
from indexdrift.evidence.plans import explain_queries, parse_queries
from indexdrift.sources import open_source
from indexdrift.sources.urls import parse_url

pytestmark = pytest.mark.postgres


def _read(kind: str, url: str):
    if kind == "catalog":
        return open_source(url, "dev")
    if kind == "usage":
        return read_usage(url, "dev")
    queries = parse_queries("SELECT id FROM t WHERE a = 1;", "q.sql", "postgresql")
    return explain_queries(parse_url(url), "dev", queries)


@pytest.fixture
def plain_db(postgres):
    """A database with one indexed table on a server that offers no TLS."""
    if postgres.admin.execute("SHOW ssl").fetchone()[0] == "on":
        pytest.skip("this PostgreSQL offers TLS: sslmode=require would connect")
    db = postgres.create_db("connopts")
    postgres.run(db, "CREATE TABLE t (id int PRIMARY KEY, a int); CREATE INDEX idx_a ON t (a)")
    return postgres.url(db)


@pytest.mark.parametrize("kind", ["catalog", "usage", "plans"])
def test_sslmode_require_fails_every_read_on_a_server_without_tls(plain_db, kind):
    # evidence/postgres.connect_postgres (usage and plans) used to drop the env's libpq
    # settings, so an env that demands TLS had its counters and plans read in clear text.
    with pytest.raises(SourceError, match="cannot connect to .*SSL"):
        _read(kind, plain_db + "?sslmode=require")
    assert _read(kind, plain_db + "?sslmode=disable") is not None


@pytest.mark.parametrize("kind", ["catalog", "usage", "plans"])
def test_a_named_service_is_looked_up_by_every_read(plain_db, kind, tmp_path, monkeypatch):
    monkeypatch.setenv("PGSERVICEFILE", str(tmp_path / "pg_service.conf"))
    (tmp_path / "pg_service.conf").write_text("[other]\nhost=127.0.0.1\n", encoding="utf-8")
    with pytest.raises(SourceError, match="cannot connect to .*idt_no_such_service"):
        _read(kind, plain_db + "?service=idt_no_such_service")
