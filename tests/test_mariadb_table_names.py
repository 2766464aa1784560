"""MariaDB's read of indexes alone lists the schema's names unopened and asks only the
names without key parts whether they are tables (catalog.lists_names_only, base_tables):
the snapshot is the one the single query with ``TABLE_TYPE = 'BASE TABLE'`` gave, on a live
server, with hostile names, views, sequences and system-versioned tables, under the
session settings that change how literals are read."""

from __future__ import annotations

import pytest

import indexdrift.dialects.mysql.catalog as catalog
from indexdrift.dialects.mysql.catalog import (
    base_tables,
    catalog_query,
    connect,
    lists_names_only,
    parse_server_version,
    read_mysql,
    read_rows,
)
from indexdrift.sources.snapshot import snapshot_json
from indexdrift.sources.urls import parse_url

pytestmark = pytest.mark.mariadb

# Index-less tables and views with names an attacker might choose: quotes, a backslash
# before a quote, a backtick, a percent sign (the driver's placeholder character), SQL.
NO_INDEX = ["plain_heap", "it's \\' ok", "x`y", "50% off", "a'); DROP TABLE t_idx; --",
            "ünï 한글"]
VIEWS = ["v_plain", "v'q\\", "v%s"]
SCHEMA = """
CREATE TABLE t_idx (id INT PRIMARY KEY, a INT, KEY ix_a (a));
CREATE TABLE t_uniq (code VARCHAR(20), UNIQUE KEY uq (code));
CREATE TABLE sv_idx (a INT, KEY ix (a)) WITH SYSTEM VERSIONING;
CREATE TABLE sv_plain (a INT) WITH SYSTEM VERSIONING;
CREATE SEQUENCE seq_one;
"""


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _db(mariadb) -> str:
    db = mariadb.create_db("p15names")
    statements = [SCHEMA]
    statements += [f"CREATE TABLE {_ident(name)} (a INT, b TEXT) ENGINE=InnoDB;"
                   for name in NO_INDEX]
    statements += [f"CREATE VIEW {_ident(name)} AS SELECT a FROM t_idx;" for name in VIEWS]
    # Names that differ only in case: an index-less table and a view.
    if mariadb.query("SELECT @@lower_case_table_names")[0][0] == 0:
        statements.append("CREATE TABLE `Heap` (a INT); CREATE VIEW `heap` AS SELECT 1 AS a;")
    mariadb.run(db, "\n".join(statements))
    return db


def _rows(conn, db: str) -> list:
    """The catalog query's rows for an index read, as the reader gets them."""
    flavor, version = parse_server_version(conn.get_server_info())
    sql, params = catalog_query(flavor, version, False)
    with conn.cursor() as cur:
        return read_rows(cur, flavor, version, sql, (db,) * params)


def _selects(conn) -> int:
    """How many SELECT statements this session has run."""
    with conn.cursor() as cur:
        cur.execute("SHOW SESSION STATUS LIKE 'Com_select'")
        return int(cur.fetchone()[1])


def _single_query_read(monkeypatch, url):
    """The snapshot as the single query with the TABLE_TYPE filter reads it."""
    with monkeypatch.context() as patch:
        patch.setattr(catalog, "lists_names_only", lambda *args: False)
        return read_mysql(url, "prd")


def test_the_snapshot_is_the_single_querys(mariadb, monkeypatch):
    db = _db(mariadb)
    url = parse_url(mariadb.url(db))
    snap = read_mysql(url, "prd")
    before = _single_query_read(monkeypatch, url)
    assert snapshot_json(snap) == snapshot_json(before)
    expected = {"t_idx", "t_uniq", "sv_idx", *NO_INDEX}
    if "Heap" in before.tables:
        expected.add("Heap")
    assert set(snap.tables) == expected
    assert not snap.tables["plain_heap"].indexes
    # Views, the sequence and the index-less system-versioned table are not tables here,
    # as TABLE_TYPE = 'BASE TABLE' left them out.
    assert not {"v_plain", "seq_one", "sv_plain", "heap"} & set(snap.tables)


def test_the_t_part_opens_no_table(mariadb):
    db = _db(mariadb)
    conn = connect(parse_url(mariadb.url(db)), "prd")
    try:
        flavor, version = parse_server_version(conn.get_server_info())
        assert lists_names_only(flavor, False, frozenset())
        assert not lists_names_only(flavor, True, frozenset())
        assert not lists_names_only("mysql", False, frozenset())
        assert not lists_names_only(flavor, False, frozenset({"checks"}))
        sql, params = catalog_query(flavor, version, False)
        with conn.cursor() as cur:
            cur.execute("EXPLAIN " + sql, (db,) * params)
            plan = cur.fetchall()
        assert plan[0][2] == "TABLES" and "Skip_open_table" in plan[0][-1]
        with conn.cursor() as cur:
            rows = read_rows(cur, flavor, version, sql, (db,) * params)
            cur.execute("SHOW SESSION STATUS LIKE 'Opened_table_definitions'")
            opened = int(cur.fetchone()[1])
            kept = base_tables(conn, rows, db)
            cur.execute("SHOW SESSION STATUS LIKE 'Opened_table_definitions'")
            # Only the names without key parts were opened, not the indexed tables.
            unsure = len(NO_INDEX) + len(VIEWS) + 2 + (2 if ("T", "Heap") in {
                (r[0], r[1]) for r in rows} else 0)
            assert int(cur.fetchone()[1]) - opened <= unsure
    finally:
        conn.close()
    # The T part listed the views and the sequence too; base_tables left them out.
    assert set(VIEWS) | {"seq_one", "sv_plain"} <= {row[1] for row in rows if row[0] == "T"}
    t_names = [row[1] for row in kept if row[0] == "T"]
    assert set(NO_INDEX) <= set(t_names)
    assert not set(VIEWS) & set(t_names) and "seq_one" not in t_names
    # The rows of indexed tables and every other kind stay as they came, in their order.
    assert [row for row in rows if row[0] != "T"] == [row for row in kept if row[0] != "T"]


@pytest.mark.parametrize("mode", ["NO_BACKSLASH_ESCAPES", "ANSI_QUOTES",
                                  "NO_BACKSLASH_ESCAPES,ANSI_QUOTES,PIPES_AS_CONCAT"])
def test_the_names_asked_stay_literals_under_any_sql_mode(mariadb, mode):
    db = _db(mariadb)
    conn = connect(parse_url(mariadb.url(db)), "prd")
    try:
        with conn.cursor() as cur:
            cur.execute(f"SET SESSION sql_mode = '{mode}'")
        rows = _rows(conn, db)
        kept = base_tables(conn, rows, db)
        with conn.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM t_idx")  # the hostile name dropped nothing
            assert cur.fetchone()[0] == 0
    finally:
        conn.close()
    t_names = {row[1] for row in kept if row[0] == "T"}
    assert set(NO_INDEX) <= t_names and not set(VIEWS) & t_names


def test_a_name_gone_before_it_is_asked_loses_its_row(mariadb):
    db = _db(mariadb)
    conn = connect(parse_url(mariadb.url(db)), "prd")
    try:
        rows = _rows(conn, db)
        mariadb.run(db, "DROP TABLE plain_heap")
        kept = base_tables(conn, rows, db)
    finally:
        conn.close()
    t_names = {row[1] for row in kept if row[0] == "T"}
    assert "plain_heap" not in t_names and "x`y" in t_names


def test_no_second_query_when_every_name_has_key_parts(mariadb):
    db = mariadb.create_db("p15names_all")
    mariadb.run(db, "CREATE TABLE a (id INT PRIMARY KEY); CREATE TABLE b (x INT, KEY (x));")
    url = parse_url(mariadb.url(db))
    conn = connect(url, "prd")
    try:
        rows = _rows(conn, db)
        selects = _selects(conn)
        assert base_tables(conn, rows, db) is rows
        assert _selects(conn) == selects
    finally:
        conn.close()
    assert set(read_mysql(url, "prd").tables) == {"a", "b"}


def test_many_names_are_asked_in_chunks(mariadb, monkeypatch):
    db = _db(mariadb)
    url = parse_url(mariadb.url(db))
    whole = read_mysql(url, "prd")
    monkeypatch.setattr(catalog, "NAMES_PER_QUERY", 2)
    conn = connect(url, "prd")
    try:
        rows = _rows(conn, db)
        selects = _selects(conn)
        kept = base_tables(conn, rows, db)
        asked = _selects(conn) - selects
    finally:
        conn.close()
    unsure = {row[1] for row in rows if row[0] == "T"} - {row[1] for row in rows
                                                          if row[0] == "I"}
    assert asked == -(-len(unsure) // 2) > 1
    # Every table has its T row (the indexed ones unasked), and only tables do.
    assert {row[1] for row in kept if row[0] == "T"} == set(whole.tables)
    assert snapshot_json(read_mysql(url, "prd")) == snapshot_json(whole)


def test_an_account_that_can_only_select_reads_the_same(mariadb, monkeypatch):
    db = _db(mariadb)
    reader = mariadb.create_user([f"SELECT ON `{db}`.*"])
    url = parse_url(mariadb.user_url(reader, db))
    snap = read_mysql(url, "prd")
    assert snapshot_json(snap) == snapshot_json(_single_query_read(monkeypatch, url))
    assert set(NO_INDEX) <= set(snap.tables) and not snap.warnings


def test_table_level_grants_read_what_the_single_query_read(mariadb, monkeypatch):
    # An account that sees two tables and a view only: the names listed, and asked, are
    # those; the partial view is warned about either way.
    db = _db(mariadb)
    reader = mariadb.create_user([f"SELECT ON `{db}`.`t_idx`", f"SELECT ON `{db}`.`plain_heap`",
                                  f"SELECT ON `{db}`.`v_plain`"])
    url = parse_url(mariadb.user_url(reader, db))
    snap = read_mysql(url, "prd")
    assert set(snap.tables) == {"t_idx", "plain_heap"}
    assert snapshot_json(snap) == snapshot_json(_single_query_read(monkeypatch, url))
    assert snap.warnings


def test_a_connection_lost_before_the_names_query_is_a_clear_error(mariadb, monkeypatch):
    from indexdrift.core.errors import SourceError

    db = _db(mariadb)
    real = catalog.read_rows

    def then_killed(cur, *args):
        rows = real(cur, *args)
        mariadb.query(f"KILL CONNECTION {cur.connection.thread_id()}")
        return rows

    monkeypatch.setattr(catalog, "read_rows", then_killed)
    with pytest.raises(SourceError) as raised:
        read_mysql(parse_url(mariadb.url(db)), "prd")
    assert raised.value.env == "prd"
    assert "catalog query failed" in str(raised.value) and db in str(raised.value)
