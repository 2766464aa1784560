"""The catalog rows folded per table by the server (dialects/mysql/catalog_json.py) are the
plain query's rows, value for value, on a live MariaDB with hostile names; a folded value
that does not come back whole sends the reader to the plain rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from indexdrift.dialects.mysql.catalog import (
    catalog_query,
    connect,
    parse_server_version,
    read_mysql,
    read_rows,
)
from indexdrift.dialects.mysql.catalog_json import aggregated_query, aggregates, unfold
from indexdrift.sources.snapshot import snapshot_json
from indexdrift.sources.urls import parse_url

pytestmark = pytest.mark.mariadb

ALL = frozenset({"foreign_keys", "checks", "options"})

SCHEMA = r"""
CREATE TABLE `parent` (id INT PRIMARY KEY, code VARCHAR(20) NOT NULL,
  UNIQUE KEY `uq code` (code)) ENGINE=InnoDB COMMENT='a "quoted" \\ comment';
CREATE TABLE `we'ird``na\me` (
  id INT NOT NULL AUTO_INCREMENT, parent_id INT, `col "x"` VARCHAR(100), note TEXT,
  `ünï` VARCHAR(50), amount INT CHECK (amount > 0),
  PRIMARY KEY (id),
  KEY `ix\tab` (`col "x"`(10), parent_id DESC) COMMENT 'line1\nline2 \'q\' \\ é 한글',
  KEY `ix_ünï` (`ünï`) IGNORED,
  FULLTEXT KEY ft_note (note),
  CONSTRAINT `fk "p"` FOREIGN KEY (parent_id) REFERENCES parent (id) ON DELETE CASCADE
) ENGINE=InnoDB ROW_FORMAT=DYNAMIC COMMENT='tab\there';
CREATE TABLE no_indexes (a INT) ENGINE=MyISAM;
CREATE TABLE `Mixed` (a INT, b INT, KEY ab (a, b), KEY a_only (a));
CREATE TABLE `mixed` (a INT, KEY ab (a));
"""


def _db(mariadb) -> str:
    db = mariadb.create_db("p15my_json")
    # Two tables whose names differ only in case fall into one group of the folded query
    # (the server groups case-insensitively); where the server keeps both, test that too.
    sql = SCHEMA if mariadb.query("SELECT @@lower_case_table_names")[0][0] == 0 else \
        SCHEMA.replace("CREATE TABLE `mixed` (a INT, KEY ab (a));\n", "")
    mariadb.run(db, sql)
    return db


def _plain_and_folded(mariadb, db: str, detail: bool, objects: frozenset[str]):
    url = parse_url(mariadb.url(db))
    conn = connect(url, "prd")
    try:
        flavor, version = parse_server_version(conn.get_server_info())
        # The fold is off in read_rows (catalog_json.aggregates: it loses the row order);
        # its query and unfold are still held to the plain rows, as a multiset.
        assert not aggregates(flavor, version)
        sql, params = catalog_query(flavor, version, detail, objects)
        with conn.cursor() as cur:
            cur.execute(sql, (db,) * params)
            plain = [tuple(row) for row in cur.fetchall()]
            cur.execute(aggregated_query(sql), (db,) * params)
            folded = [tuple(row) for row in unfold(cur.fetchall())]
            assert [tuple(row) for row in read_rows(cur, flavor, version, sql,
                                                    (db,) * params)] == plain
    finally:
        conn.close()
    return plain, folded


@pytest.mark.parametrize("detail", [False, True])
@pytest.mark.parametrize("objects", [frozenset(), ALL])
def test_folded_rows_are_the_plain_rows(mariadb, detail, objects):
    db = _db(mariadb)
    plain, folded = _plain_and_folded(mariadb, db, detail, objects)
    assert len(plain) > 10
    assert sorted(plain, key=repr) == sorted(folded, key=repr)
    # Same values cell by cell: text str, NULL None, numbers the same integers (the plain
    # rows give some as Decimal, the UNION's common type; the reader takes int() of them).
    assert sorted(map(_cells, plain)) == sorted(map(_cells, folded))


def _cells(row: tuple) -> str:
    return repr(tuple(int(v) if isinstance(v, Decimal) else v for v in row))


def test_snapshot_is_the_same_either_way(mariadb):
    db = _db(mariadb)
    url = parse_url(mariadb.url(db))
    snap = read_mysql(url, "prd", detail=True, objects=ALL)
    assert {"parent", "we'ird`na\\me", "no_indexes", "Mixed"} <= set(snap.tables)
    if "mixed" in snap.tables:
        assert set(snap.tables["mixed"].indexes) == {"ab"}
        assert set(snap.tables["Mixed"].indexes) == {"ab", "a_only"}
    ix = snap.tables["we'ird`na\\me"].indexes["ix\\tab"]
    assert ix.comment == "line1\nline2 'q' \\ é 한글"
    assert ix.parts[1].descending and ix.parts[0].sub_part == 10
    assert not snap.tables["we'ird`na\\me"].indexes["ix_ünï"].visible
    # The plain rows build the same snapshot (the path MySQL and older MariaDB take).
    conn = connect(url, "prd")
    try:
        flavor, version = parse_server_version(conn.get_server_info())
        sql, params = catalog_query(flavor, version, True, ALL)
        with conn.cursor() as cur:
            cur.execute(sql, (db,) * params)
            rows = cur.fetchall()
    finally:
        conn.close()
    from indexdrift.dialects.mysql.catalog import build_snapshot, objects_read
    from indexdrift.model.tables import Snapshot

    plain = build_snapshot(Snapshot(source=snap.source, schema=db, flavor=flavor,
                                    version=".".join(map(str, version)), has_details=True),
                           list(rows), "prd", objects_read(flavor, version, ALL))
    assert snapshot_json(plain) == snapshot_json(snap)


def test_the_folded_query_keeps_the_parameters():
    sql, params = catalog_query("mariadb", (10, 11, 9), True, ALL)
    folded = aggregated_query(sql)
    assert folded.replace("%%", "").count("%s") == params
    assert folded.startswith("SET STATEMENT group_concat_max_len = ")


@pytest.mark.parametrize(("flavor", "version", "expected"), [
    ("mariadb", (10, 4, 34), False), ("mariadb", (10, 5, 0), False),
    ("mariadb", (11, 4, 4), False), ("mysql", (8, 0, 36), False), ("mysql", (5, 7, 44), False),
])
def test_which_servers_fold(flavor, version, expected):
    assert aggregates(flavor, version) is expected


def test_a_group_not_whole_is_refused():
    whole = [("t", 2, '[["I", "t"], ["T", "t"]]')]
    assert unfold(whole) == [["I", "t"], ["T", "t"]]
    assert unfold([("t", 2, '[["I", "t"], ["T", "t"')]) is None  # cut at a limit
    assert unfold([("t", 3, '[["I", "t"], ["T", "t"]]')]) is None  # fewer than counted
    assert unfold([("t", 1, None)]) is None
    assert unfold([("t", 1, '{"a": 1}')]) is None
    assert unfold([("t", 1, b'[["T", "t"]]')]) == [["T", "t"]]


def test_a_tables_indexes_keep_the_servers_order(mariadb):
    # The order of a table's indexes is their place in SHOW CREATE TABLE: a rollback that
    # re-creates them must give it back (the folded rows lost it, run to run).
    db = mariadb.create_db("order")
    mariadb.run(db, "CREATE TABLE t (id INT PRIMARY KEY, a INT, x INT, y INT, KEY ix_x (x), "
                    "KEY ix_ax (a, x), UNIQUE KEY uq_ay (a, y))")
    url = parse_url(mariadb.url(db))
    orders = {tuple(read_mysql(url, "prd").tables["t"].indexes) for _ in range(5)}
    assert orders == {("primary", "uq_ay", "ix_x", "ix_ax")}  # keys fold case
