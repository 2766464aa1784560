"""`indexdrift plans`: only single SELECTs are explained; everything else is refused."""

from __future__ import annotations

import subprocess
import sys

import pytest

from indexdrift.core.errors import InputError
from indexdrift.dialects.mysql.plans import _key_names, mysql_plan_indexes
from indexdrift.dialects.postgresql.plans import postgres_plan_indexes
from indexdrift.evidence.plans import parse_queries


def refusal(sql: str, flavor: str = "mysql") -> str:
    with pytest.raises(InputError) as info:
        parse_queries(sql, "q.sql", flavor)
    return str(info.value)


def test_selects_with_ctes_unions_and_comments_are_accepted():
    text = """-- the dashboard
SELECT * FROM orders WHERE customer_id = 5;
WITH recent AS (SELECT * FROM orders WHERE created > '2026-01-01') SELECT id FROM recent;
SELECT 1 UNION SELECT 2;
SELECT ';' AS semicolon_in_a_string
"""
    queries = parse_queries(text, "q.sql", "mysql")
    assert [q.line for q in queries] == [2, 3, 4, 5]
    assert queries[3].sql == "SELECT ';' AS semicolon_in_a_string"


@pytest.mark.parametrize("sql, why", [
    ("INSERT INTO t VALUES (1)", "is a INSERT statement, not a SELECT"),
    ("SELECT 1; DROP TABLE t", "statement 2 is a DROP statement"),
    ("UPDATE t SET a = 1", "not a SELECT"),
    ("SELECT * FROM t INTO OUTFILE '/tmp/x'", "not a single SELECT"),
    ("SELECT a INTO @x FROM t", "SELECT ... INTO"),
    ("SELECT * FROM t FOR UPDATE", "locking read"),
    ("SELECT * FROM t LOCK IN SHARE MODE", "locking read"),
    ("SELECT SLEEP(10)", "sleep()"),
    ("SELECT * FROM t WHERE a = (SELECT GET_LOCK('x', 10))", "get_lock()"),
    ("CALL p()", "not a SELECT"),
])
def test_anything_but_a_plain_select_is_refused(sql, why):
    assert why in refusal(sql)


@pytest.mark.parametrize("sql, why", [
    ("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "contains a DELETE"),
    ("SELECT * INTO newtable FROM t", "SELECT ... INTO"),
    ("SELECT * FROM t FOR SHARE", "locking read"),
    ("SELECT pg_terminate_backend(42)", "side effects"),
    ("SELECT nextval('s')", "side effects"),
])
def test_postgres_writes_hidden_in_selects_are_refused(sql, why):
    assert why in refusal(sql, "postgresql")


def test_refusal_names_file_and_line():
    assert refusal("SELECT 1;\n\nDELETE FROM t;").startswith("q.sql:3: statement 2")


def test_empty_file_is_refused():
    assert "no SELECT statement" in refusal("-- nothing here\n")


def test_cli_refuses_before_connecting(tmp_path):
    queries = tmp_path / "q.sql"
    queries.write_text("SELECT 1;\nINSERT INTO t VALUES (1);\n", encoding="utf-8")
    # Port 1: nothing listens there; the refusal must come first.
    proc = subprocess.run([sys.executable, "-m", "indexdrift", "plans",
                           "mysql://root@127.0.0.1:1/nothing", "--queries", str(queries)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"error: {queries}:2: statement 2 is a INSERT statement, not a SELECT; only SELECT "
        "queries are explained"]


def test_plan_walkers_find_index_names():
    mysql_plan = {"query_block": {"nested_loop": [
        {"table": {"table_name": "o", "key": "idx_customer", "possible_keys": ["x"]}},
        {"table": {"table_name": "c", "key": "union(idx_a,idx_b)"}}]}}
    assert mysql_plan_indexes(mysql_plan) == [("o", "idx_customer"), ("c", "idx_a"),
                                              ("c", "idx_b")]
    assert _key_names("intersect(a,sort_union(b,c))") == ["a", "b", "c"]
    pg_plan = [{"Plan": {"Node Type": "Bitmap Heap Scan", "Plans": [
        {"Node Type": "Bitmap Index Scan", "Index Name": "idx_a"}]}}]
    assert postgres_plan_indexes(pg_plan) == ["idx_a"]
