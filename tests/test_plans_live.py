"""`indexdrift plans` on the real servers: known plans, unused drop candidates, read-only."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from test_usage_postgres import pg_db  # noqa: F401 - the fixture

from indexdrift.cli.main import cli

ROWS = ",".join(f"({i}, {i % 200}, {i % 7}, '2026-01-{1 + i % 28:02d}')" for i in range(1, 3001))
QUERIES = """
SELECT id FROM orders WHERE customer_id = 5;
SELECT o.id FROM orders AS o WHERE o.customer_id = 7 AND o.id > 10;
SELECT COUNT(*) FROM orders WHERE status = 3;
"""


def plans(url, tmp_path, *extra):
    path = tmp_path / "q.sql"
    path.write_text(QUERIES, encoding="utf-8")
    result = CliRunner().invoke(cli, ["plans", url, "--queries", str(path), "--format", "json",
                                      *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.mariadb
def test_mariadb_plans_name_used_indexes_and_unused_candidates(mariadb, tmp_path):
    db = mariadb.create_db("plans")
    mariadb.run(db, "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT, status INT, "
                    "created DATE, KEY idx_customer (customer_id), KEY idx_created (created))"
                    f";INSERT INTO orders VALUES {ROWS};ANALYZE TABLE orders")
    before = mariadb.query(f"SELECT COUNT(*) FROM `{db}`.orders")
    doc = plans(mariadb.url(db), tmp_path)
    assert doc["queries"][0]["indexes"] == ["orders.idx_customer"]
    assert doc["queries"][1]["indexes"][0] == "orders.idx_customer"  # through the alias
    assert doc["unused_candidates"] == ["orders.idx_created"]
    assert doc["candidates"] == ["orders.idx_created", "orders.idx_customer"]
    assert mariadb.query(f"SELECT COUNT(*) FROM `{db}`.orders") == before
    text = CliRunner().invoke(cli, ["plans", mariadb.url(db), "--queries",
                                    str(tmp_path / "q.sql"), "--lang", "en"]).output
    assert "Drop candidates no listed query uses: orders.idx_created" in text


@pytest.mark.postgres
def test_postgres_plans_name_used_indexes_and_unused_candidates(pg_db, tmp_path):  # noqa: F811
    url, conn = pg_db
    conn.execute("CREATE TABLE orders (id int PRIMARY KEY, customer_id int, status int, "
                 "created date)")
    conn.execute("CREATE INDEX idx_customer ON orders (customer_id)")
    conn.execute("CREATE INDEX idx_created ON orders (created)")
    conn.execute(f"INSERT INTO orders VALUES {ROWS}")
    conn.execute("ANALYZE orders")
    doc = plans(url, tmp_path, "--candidate", "orders.idx_created",
                "--candidate", "orders.idx_customer")
    assert doc["queries"][0]["indexes"] == ["orders.idx_customer"]
    assert "orders.idx_customer" in doc["queries"][1]["indexes"]
    assert doc["unused_candidates"] == ["orders.idx_created"]
