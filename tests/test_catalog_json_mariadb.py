"""The catalog rows folded by the server, one JSON value per row
(dialects/mysql/catalog_json.py), are the plain query's rows, value for value and in the same
order, on a live MariaDB with hostile names; a folded row that does not come back whole
sends the reader to the plain rows."""

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
from indexdrift.dialects.mysql.catalog_json import (
    COLUMNS,
    folded_query,
    folds,
    read_folded,
    unfold,
)
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
CREATE TABLE `bin\"x` (`b\n` VARBINARY(40), c VARCHAR(40) COLLATE utf8mb4_bin,
  d CHAR(10) CHARACTER SET latin1 COLLATE latin1_bin,
  KEY `k\0` (`b\n`(8), c DESC, d) COMMENT 'ctl <C0> \b \Z \t\r\n "q" \\ \' ` \\n \u2028 😀',
  KEY `z_last` (d), KEY `a_first` (c)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='x\Zy';
CREATE TABLE `mixed` (a INT, KEY ab (a));
""".replace("<C0>", "\x01\x1f\x7f")  # raw control characters, not escapes


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
        assert folds(flavor, version)
        sql, params = catalog_query(flavor, version, detail, objects)
        with conn.cursor() as cur:
            cur.execute(sql, (db,) * params)
            plain = [tuple(row) for row in cur.fetchall()]
            cur.execute(folded_query(sql), (db,) * params)
            folded = [tuple(row) for row in unfold([row[0] for row in cur.fetchall()])]
            # The reader takes the folded rows' values straight off the connection
            # (catalog_json._values), not through PyMySQL's rows: the same rows.
            assert [tuple(row) for row in read_folded(conn, sql, (db,) * params)] == folded
            # What the reader gets is the folded rows (MariaDB 10.5+).
            assert [tuple(row) for row in read_rows(cur, flavor, version, sql,
                                                    (db,) * params)] == folded
    finally:
        conn.close()
    return plain, folded


@pytest.mark.parametrize("detail", [False, True])
@pytest.mark.parametrize("objects", [frozenset(), ALL])
def test_folded_rows_are_the_plain_rows(mariadb, detail, objects):
    db = _db(mariadb)
    plain, folded = _plain_and_folded(mariadb, db, detail, objects)
    assert len(plain) > 10
    assert all(len(row) == COLUMNS for row in plain)
    # Row for row, in the same order, the same values cell by cell: text the same str,
    # NULL None, numbers the same integers (the plain rows give a number as Decimal, or
    # as text where the UNION's column is text in another part: the reader takes int()).
    assert list(map(_cells, plain)) == list(map(_cells, folded))
    cells = {cell for row in plain for cell in row if isinstance(cell, str)}
    assert "k\\0" in cells and any("\x01\x1f\x7f" in cell and "\\n" in cell for cell in cells)


def _cells(row: tuple) -> tuple:
    return tuple(str(int(v)) if isinstance(v, int | Decimal) and not isinstance(v, bool)
                 else v for v in row)


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


def test_the_folded_query_keeps_the_parameters_and_the_parts():
    for flavor, version in (("mariadb", (10, 11, 9)), ("mariadb", (10, 5, 0)),
                            ("mariadb", (11, 4, 4))):
        for detail in (False, True):
            for objects in (frozenset(), ALL, frozenset({"checks"}), frozenset({"options"})):
                sql, params = catalog_query(flavor, version, detail, objects)
                folded = folded_query(sql)
                assert folded.replace("%%", "").count("%s") == params
                parts = folded.split("\nUNION ALL\n")
                assert len(parts) == len(sql.split("\nUNION ALL\n"))
                assert all(p.startswith("SELECT JSON_ARRAY(") for p in parts)
                # Each part keeps its FROM and WHERE: the same rows, in the same order.
                for plain, fold in zip(sql.split("\nUNION ALL\n"), parts, strict=True):
                    tail = plain.split(" FROM ", 1)[1] if " FROM " in plain else ""
                    assert fold.endswith(tail)


def test_a_select_list_ends_at_its_own_from():
    sql = ("SELECT 'x FROM y', (SELECT 1 FROM t), `a FROM b` FROM real WHERE (1) "
           "\nUNION ALL\nSELECT 'D', @@v")
    assert folded_query(sql) == (
        "SELECT JSON_ARRAY('x FROM y', (SELECT 1 FROM t), `a FROM b`) FROM real WHERE (1) "
        "\nUNION ALL\nSELECT JSON_ARRAY('D', @@v)")
    with pytest.raises(ValueError):
        folded_query("WITH x AS (SELECT 1) SELECT * FROM x")


@pytest.mark.parametrize(("flavor", "version", "expected"), [
    ("mariadb", (10, 4, 34), False), ("mariadb", (10, 5, 0), True),
    ("mariadb", (11, 4, 4), True), ("mysql", (8, 0, 36), False), ("mysql", (5, 7, 44), False),
])
def test_which_servers_fold(flavor, version, expected):
    assert folds(flavor, version) is expected


def test_a_row_not_whole_is_refused():
    row = '["T", "t", null, 1, null, null, null, null, null, null, null, "x"]'
    assert unfold([row, row]) == [["T", "t", None, 1, *[None] * 7, "x"]] * 2
    assert unfold([]) == []
    assert unfold([row, None]) is None  # NULL: past max_allowed_packet
    assert unfold([row[:-1]]) is None  # cut
    assert unfold(['["T", "t"]']) is None  # not 12 columns
    assert unfold(['{"a": 1}']) is None
    assert unfold([row + "," + row]) is None  # not one value
    # Values as read off the connection: bytes (a memoryview too), UTF-8 strictly.
    assert unfold([row.encode(), memoryview(row.encode())]) == [
        ["T", "t", None, 1, *[None] * 7, "x"]] * 2
    assert unfold([row.replace("x", "\u00e9").encode()])[0][-1] == "\u00e9"
    assert unfold([row.replace("x", "\u00e9").encode("latin-1")]) is None


def test_a_folded_query_the_server_refuses_reads_the_plain_rows(mariadb, monkeypatch):
    db = _db(mariadb)
    url = parse_url(mariadb.url(db))
    from indexdrift.dialects.mysql import catalog_json

    # A server error (1054, unknown column) on the folded form, as a limit would give.
    monkeypatch.setattr(catalog_json, "folded_query", lambda sql: folded_query(sql).replace(
        "JSON_ARRAY(", "JSON_ARRAY(no_such_column, ", 1))
    plain = read_mysql(url, "prd", detail=True, objects=ALL)
    monkeypatch.undo()
    assert snapshot_json(plain) == snapshot_json(read_mysql(url, "prd", detail=True,
                                                            objects=ALL))


def test_a_server_error_after_some_rows_reads_the_plain_rows(mariadb, monkeypatch):
    db = _db(mariadb)
    url = parse_url(mariadb.url(db) + "?read_timeout=30")
    from indexdrift.dialects.mysql import catalog_json

    # The error comes with the last row (a subquery of two rows where one is allowed),
    # after chunks of rows were decoded: the streamed result ends there, and the plain
    # query runs on the same connection.
    folded = catalog_json.folded_query
    monkeypatch.setattr(catalog_json, "folded_query", lambda sql: folded(sql) + (
        "\nUNION ALL\nSELECT JSON_ARRAY((SELECT 1 UNION SELECT 2), 1, 1, 1, 1, 1, 1, 1, 1, "
        "1, 1, 1) FROM DUAL"))
    monkeypatch.setattr(catalog_json, "CHUNK", 2)
    decoded = []
    whole = catalog_json.unfold
    monkeypatch.setattr(catalog_json, "unfold", lambda rows: decoded.append(rows) or whole(rows))
    plain = read_mysql(url, "prd", detail=True, objects=ALL)
    monkeypatch.undo()
    assert len(decoded) > 3  # chunks came before the error
    assert snapshot_json(plain) == snapshot_json(read_mysql(url, "prd", detail=True,
                                                            objects=ALL))


def test_a_folded_row_not_whole_reads_the_plain_rows(mariadb, monkeypatch):
    db = _db(mariadb)
    url = parse_url(mariadb.url(db))
    from indexdrift.dialects.mysql import catalog_json

    # A row past max_allowed_packet comes back NULL: unfold refuses its chunk (tested
    # above), the rest of the streamed result is dropped, and the reader runs the plain
    # query on the same connection. Here the second chunk of three rows is refused.
    calls = []
    whole = catalog_json.unfold

    def second_refused(rows):
        calls.append(len(rows))
        return None if len(calls) == 2 else whole(rows)

    monkeypatch.setattr(catalog_json, "CHUNK", 3)
    monkeypatch.setattr(catalog_json, "unfold", second_refused)
    plain = read_mysql(url, "prd", detail=True, objects=ALL)
    monkeypatch.undo()
    assert calls == [3, 3]
    assert snapshot_json(plain) == snapshot_json(read_mysql(url, "prd", detail=True,
                                                            objects=ALL))


def test_streamed_chunks_give_the_rows_of_one(mariadb, monkeypatch):
    db = _db(mariadb)
    url = parse_url(mariadb.url(db))
    from indexdrift.dialects.mysql import catalog_json

    conn = connect(url, "prd")
    try:
        flavor, version = parse_server_version(conn.get_server_info())
        sql, params = catalog_query(flavor, version, True, ALL)
        whole = catalog_json.read_folded(conn, sql, (db,) * params)
        monkeypatch.setattr(catalog_json, "CHUNK", 2)
        assert catalog_json.read_folded(conn, sql, (db,) * params) == whole
    finally:
        conn.close()


def test_a_tables_indexes_keep_the_servers_order(mariadb):
    # The order of a table's indexes is their place in SHOW CREATE TABLE: a rollback that
    # re-creates them must give it back (an aggregated fold lost it, run to run).
    db = mariadb.create_db("order")
    mariadb.run(db, "CREATE TABLE t (id INT PRIMARY KEY, a INT, x INT, y INT, KEY ix_x (x), "
                    "KEY ix_ax (a, x), UNIQUE KEY uq_ay (a, y))")
    url = parse_url(mariadb.url(db))
    orders = {tuple(read_mysql(url, "prd").tables["t"].indexes) for _ in range(5)}
    assert orders == {("primary", "uq_ay", "ix_x", "ix_ax")}  # keys fold case


def test_the_folded_rows_keep_the_plain_order_on_many_tables(mariadb):
    # Many tables of many indexes each, declared out of name order: the folded rows are
    # the plain rows in the plain order (STATISTICS walks tables in its own order).
    db = mariadb.create_db("order_many")
    mariadb.run(db, "".join(
        f"CREATE TABLE t{(i * 37) % 60:02d} (id INT PRIMARY KEY, a INT, b INT, c INT, "
        f"KEY z{i} (c), KEY m{i} (b, a), UNIQUE KEY a{i} (a, c), KEY `B{i}` (b));"
        for i in range(60)))
    plain, folded = _plain_and_folded(mariadb, db, False, frozenset())
    assert list(map(_cells, plain)) == list(map(_cells, folded))
    snap = read_mysql(parse_url(mariadb.url(db)), "prd")
    assert list(snap.tables) == [row[1] for row in plain if row[0] == "T"]
    for name, table in snap.tables.items():
        i = next(i for i in range(60) if f"t{(i * 37) % 60:02d}" == name)
        # The server's key order: the primary key, unique keys, then the others as declared.
        assert list(table.indexes) == ["primary", f"a{i}", f"z{i}", f"m{i}", f"b{i}"]


def _row_sql(*names: str) -> str:
    """A catalog-shaped query (12 columns per part) of 'T' rows with these name SQLs."""
    return "\nUNION ALL\n".join(
        f"SELECT 'T', {name}, NULL, 1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'end'"
        for name in names)


def test_values_of_every_length_come_off_the_connection_whole(mariadb, monkeypatch):
    # The reader takes each folded row's one value off the connection itself: a length
    # in one byte (< 251), two (< 64 KiB) or three, across chunk boundaries, and the
    # connection goes on as PyMySQL left it.
    from indexdrift.dialects.mysql import catalog_json

    db = _db(mariadb)
    conn = connect(parse_url(mariadb.url(db)), "prd")
    try:
        names = ["'short'", "REPEAT('\u00e9', 200)", "REPEAT('x', 70000)", "''",
                 "'k\\\\0 \\n \"q\"'", "'after'"]
        want = ["short", "\u00e9" * 200, "x" * 70000, "", 'k\\0 \n "q"', "after"]
        for chunk in (1, 2, 4, catalog_json.CHUNK):
            monkeypatch.setattr(catalog_json, "CHUNK", chunk)
            rows = read_folded(conn, _row_sql(*names), ())
            assert [row[1] for row in rows] == want
            assert all(row[3] == 1 and row[11] == "end" for row in rows)
        with conn.cursor() as cur:
            cur.execute("SELECT 'next', %s", ("query",))
            assert cur.fetchall() == (("next", "query"),)
    finally:
        conn.close()


def test_a_null_row_leaves_the_connection_in_step(mariadb):
    # JSON_ARRAY gives NULL past max_allowed_packet: the reader says "not whole", the
    # rest of the result is read by PyMySQL when the cursor closes, and the connection
    # answers the next query (the reader then runs the plain rows on it).
    db = _db(mariadb)
    conn = connect(parse_url(mariadb.url(db)), "prd")
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT @@max_allowed_packet")
            limit = int(cur.fetchone()[0])
        sql = _row_sql("'a'", f"REPEAT('x', {limit - 16})", "'b'", "'c'")
        assert read_folded(conn, sql, ()) is None
        with conn.cursor() as cur:
            cur.execute("SELECT 'next'")
            assert cur.fetchall() == (("next",),)
        assert [row[1] for row in read_folded(conn, _row_sql("'d'"), ())] == ["d"]
    finally:
        conn.close()
