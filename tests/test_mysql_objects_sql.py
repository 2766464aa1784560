"""The MySQL/MariaDB catalog query for --objects by server version, and the normalisation
rules of foreign keys, checks and table options (no server needed; the live behaviour is
in test_mariadb_objects.py)."""

from __future__ import annotations

import re

import pytest

from indexdrift.dialects.mysql.catalog import catalog_query, objects_read
from indexdrift.dialects.mysql.objects import (
    _match,
    _rule,
    charset_of,
    check_expression,
    check_part,
    checks_readable,
    collation_name,
    default_row_format_part,
    json_type_check,
    row_format,
    table_comment,
    table_options,
)

ALL = frozenset({"foreign_keys", "checks", "options"})
VERSIONS = [("mysql", (5, 7, 8)), ("mysql", (5, 7, 44)), ("mysql", (8, 0, 15)),
            ("mysql", (8, 0, 16)), ("mysql", (8, 4, 3)), ("mariadb", (10, 1, 48)),
            ("mariadb", (10, 2, 2)), ("mariadb", (10, 2, 22)), ("mariadb", (10, 3, 9)),
            ("mariadb", (10, 3, 10)), ("mariadb", (10, 4, 34)), ("mariadb", (10, 5, 9)),
            ("mariadb", (10, 5, 10)), ("mariadb", (10, 11, 9)), ("mariadb", (11, 4, 4))]


def _parts(sql: str) -> list[str]:
    return sql.split("\nUNION ALL\n")


@pytest.mark.parametrize(("flavor", "version"), VERSIONS)
def test_without_objects_the_query_is_the_index_read(flavor, version):
    for detail in (False, True):
        sql, params = catalog_query(flavor, version, detail)
        assert (sql, params) == catalog_query(flavor, version, detail, frozenset())
        kinds = [re.match(r"SELECT '(\w)'", part).group(1) for part in _parts(sql)]
        assert kinds == (["T", "I", "P", "F", "A"] if detail else ["T", "I", "P"])
        assert "REFERENTIAL_CONSTRAINTS" not in sql and "CHECK_CONSTRAINTS" not in sql
        assert "TABLE_COLLATION" not in sql and "innodb_default_row_format" not in sql
        assert _parts(sql)[0].startswith("SELECT 'T', TABLE_NAME, "
                                         + ("ENGINE, DATA_LENGTH + INDEX_LENGTH"
                                            if detail else "NULL, NULL") + ", NULL, NULL,")


@pytest.mark.parametrize(("flavor", "version"), VERSIONS)
@pytest.mark.parametrize("objects", [frozenset({"foreign_keys"}), frozenset({"checks"}),
                                     frozenset({"options"}), ALL])
def test_every_part_has_twelve_columns_and_the_parameters_add_up(flavor, version, objects):
    for detail in (False, True):
        sql, params = catalog_query(flavor, version, detail, objects)
        assert sql.replace("%%", "").count("%s") == params
        for part in _parts(sql):
            select = part.split(" FROM ")[0] if " FROM " in part else part
            # Columns at the top level of the SELECT list (CASE ... END counts once).
            depth, count = 0, 1
            for ch in re.sub(r"'[^']*'", "''", select):
                depth += {"(": 1, ")": -1}.get(ch, 0)
                count += ch == "," and depth == 0
            assert count == 12, part


@pytest.mark.parametrize(("flavor", "version", "shape"), [
    ("mysql", (5, 7, 44), None),  # parsed and ignored: no checks to read
    ("mysql", (8, 0, 15), None),
    ("mysql", (8, 0, 16), "TABLE_CONSTRAINTS"),
    ("mysql", (8, 4, 3), "TABLE_CONSTRAINTS"),
    ("mariadb", (10, 1, 48), None),  # ignored before 10.2.1
    ("mariadb", (10, 2, 21), None),  # enforced, shown nowhere
    ("mariadb", (10, 2, 22), "COLUMNS"),
    ("mariadb", (10, 3, 9), None),
    ("mariadb", (10, 3, 10), "COLUMNS"),
    ("mariadb", (10, 4, 0), "COLUMNS"),
    ("mariadb", (10, 5, 9), "COLUMNS"),
    ("mariadb", (10, 5, 10), "LEVEL"),
    ("mariadb", (10, 11, 9), "LEVEL"),
    ("mariadb", (11, 4, 4), "LEVEL"),
])
def test_check_sql_by_server_version(flavor, version, shape):
    part = check_part(flavor, version)
    sql, _ = catalog_query(flavor, version, False, frozenset({"checks"}))
    if shape is None:
        assert part is None and "CHECK_CONSTRAINTS" not in sql
        return
    text, params = part
    assert text in sql
    if shape == "TABLE_CONSTRAINTS":
        assert "tc.ENFORCED" in text and "tc.CONSTRAINT_TYPE = 'CHECK'" in text
        assert "LEVEL" not in text and params == 2
    elif shape == "COLUMNS":
        assert "LEFT JOIN information_schema.COLUMNS" in text and " LEVEL" not in text
        assert params == 1
    else:
        assert ", LEVEL, " in text and "COLUMNS" not in text and params == 1


def test_what_a_server_lets_the_query_read():
    assert objects_read("mysql", (5, 7, 44), ALL) == ALL  # no checks there: known empty
    assert objects_read("mariadb", (10, 1, 48), ALL) == ALL
    assert objects_read("mariadb", (10, 2, 21), ALL) == {"foreign_keys", "options"}
    assert objects_read("mariadb", (10, 3, 9), frozenset({"checks"})) == frozenset()
    assert objects_read("mariadb", (10, 11, 9), frozenset({"options"})) == {"options"}
    assert checks_readable("mariadb", (10, 2, 21)) is None
    assert checks_readable("mysql", (8, 0, 15)) is False


@pytest.mark.parametrize(("flavor", "version", "present"), [
    ("mysql", (5, 7, 8), False), ("mysql", (5, 7, 9), True), ("mysql", (8, 0, 36), True),
    ("mariadb", (10, 2, 1), False), ("mariadb", (10, 2, 2), True),
    ("mariadb", (10, 11, 9), True)])
def test_default_row_format_by_server_version(flavor, version, present):
    part = default_row_format_part(flavor, version)
    sql, _ = catalog_query(flavor, version, False, frozenset({"options"}))
    assert (part is not None) == present == ("@@innodb_default_row_format" in sql)


def test_foreign_keys_replace_the_detail_rows():
    sql, _ = catalog_query("mariadb", (10, 11, 9), True, frozenset({"foreign_keys"}))
    kinds = [part[8] for part in _parts(sql)]
    assert kinds == ["T", "I", "P", "A", "R"]
    assert _parts(sql)[0].startswith("SELECT 'T', TABLE_NAME, ENGINE, DATA_LENGTH")
    sql, _ = catalog_query("mariadb", (10, 11, 9), False, frozenset({"foreign_keys"}))
    assert _parts(sql)[0].startswith("SELECT 'T', TABLE_NAME, ENGINE, NULL, NULL,")


@pytest.mark.parametrize(("clause", "flavor", "expected"), [
    ("`a` > 0", "mariadb", "`a` > 0"),
    ("(`a` > 0)", "mysql", "`a` > 0"),  # MySQL encloses the clause
    ("((`a` > 0))", "mysql", "`a` > 0"),
    ("(`a` > 0) and (`b` < 1)", "mariadb", "(`a` > 0) and (`b` < 1)"),
    ("((`a` > 0) and (`b` < 1))", "mysql", "(`a` > 0) and (`b` < 1)"),
    ("(`s` = _utf8mb4\\'abc\\')", "mysql", "`s` = 'abc'"),  # doubled escaping, introducer
    ("`s` = _utf8mb4'abc'", "mariadb", "`s` = 'abc'"),
    ("`s` = _latin1 'abc'", "mariadb", "`s` = 'abc'"),
    ("`b` = _binary'abc'", "mariadb", "`b` = _binary'abc'"),  # changes the comparison
    ("`s` <> ')('", "mariadb", "`s` <> ')('"),
    ("(`s` <> _utf8mb4\\')(\\')", "mysql", "`s` <> ')('"),
    ("`s` <> 'x_utf8mb4'", "mariadb", "`s` <> 'x_utf8mb4'"),
    ("`s` <> 'it\\'s'", "mariadb", "`s` <> 'it\\'s'"),
    ("(`s` <> _utf8mb4\\'it\\\\\\'s\\')", "mysql", "`s` <> 'it\\'s'"),
    ("(`a`) + (`b`) > 0", "mariadb", "(`a`) + (`b`) > 0"),
    ("`my_utf8mb4` = 1", "mariadb", "`my_utf8mb4` = 1"),
])
def test_check_expression(clause, flavor, expected):
    assert check_expression(clause, flavor) == expected


def test_json_type_check():
    assert json_type_check("j", "json_valid(`j`)")
    assert not json_type_check("j", "json_valid(`k`)")
    assert not json_type_check("j", "json_valid(`j`) and `j` <> '{}'")


def test_referential_rules():
    assert _rule("RESTRICT", "InnoDB") == _rule("NO ACTION", "InnoDB") == "NO ACTION"
    assert _rule(None, "InnoDB") == "NO ACTION"
    assert _rule("restrict", "ndbcluster") == "RESTRICT"  # a deferred check there
    assert _rule("SET NULL", "InnoDB") == "SET NULL"
    assert _match("NONE") == _match(None) == "SIMPLE"
    assert _match("FULL") == "FULL"


def test_table_options():
    assert collation_name("utf8_general_ci") == "utf8mb3_general_ci"
    assert collation_name("UTF8MB4_BIN") == "utf8mb4_bin"
    assert charset_of("utf8mb4_uca1400_ai_ci") == "utf8mb4"
    assert charset_of("binary") == "binary"
    assert row_format("row_format=DYNAMIC", "InnoDB", "dynamic") == "DYNAMIC"
    assert row_format("", "InnoDB", "dynamic") == "DYNAMIC"
    assert row_format("stats_persistent=0 row_format=compressed key_block_size=8", "InnoDB",
                      "dynamic") == "COMPRESSED"
    assert row_format("row_format=DEFAULT", "InnoDB", "dynamic") == "DYNAMIC"
    assert row_format(None, "InnoDB", None) == "COMPACT"  # before the variable
    assert row_format("transactional=1", "Aria", "dynamic") == "PAGE"
    assert row_format("row_format=PAGE transactional=1", "Aria", "dynamic") == "PAGE"
    assert row_format("", "MyISAM", "dynamic") == "DEFAULT"
    assert row_format("row_format=FIXED", "MyISAM", "dynamic") == "FIXED"
    assert table_comment("InnoDB free: 4096 kB") == ""
    assert table_comment("orders; InnoDB free: 11264 kB") == "orders"
    assert table_comment("InnoDB free: says the user") == "InnoDB free: says the user"
    assert table_options("InnoDB", "utf8_bin", "", "c", "dynamic") == {
        "engine": "InnoDB", "charset": "utf8mb3", "collation": "utf8mb3_bin",
        "row_format": "DYNAMIC", "comment": "c"}
    assert table_options(None, None, None, "Table 't' doesn't exist in engine", None) == {}


def test_rows_as_mysql_8_returns_them_build_the_model():
    # The rows a MySQL 8.0.16+ catalog query returns (no MySQL server in this suite):
    # strings where the UNION ALL made a column text, NO ACTION for a rule left out,
    # CHECK_CLAUSE enclosed and escaped once more, ENFORCED from TABLE_CONSTRAINTS.
    from indexdrift.dialects.mysql.catalog import build_snapshot
    from indexdrift.model.tables import Snapshot

    rows = [
        ("T", "orders", "InnoDB", None, "utf8mb4_0900_ai_ci", "", "orders", *[None] * 5),
        ("T", "users", "InnoDB", None, "utf8_general_ci", "row_format=COMPRESSED", "",
         *[None] * 5),
        ("I", "orders", "PRIMARY", "0", "1", "id", "A", "BTREE", None, "", "YES", None),
        ("R", "orders", "fk_user", "2", "tenant", "shop", "users", "tenant", "NO ACTION",
         "CASCADE", "NONE", None),
        ("R", "orders", "fk_user", "1", "user_id", "shop", "users", "id", "NO ACTION",
         "CASCADE", "NONE", None),
        ("R", "orders", "fk_ext", "1", "ext_id", "other", "ext", "id", "RESTRICT",
         "RESTRICT", "NONE", None),
        ("C", "orders", "orders_chk_1", None, None, "Table", "NO", *[None] * 4,
         "(`state` <> _utf8mb4\\'x\\')"),
        ("D", "dynamic", *[None] * 10),
    ]
    snap = build_snapshot(Snapshot("mysql://h/shop", "shop", flavor="mysql"), rows, "prd",
                          ALL)
    orders = snap.tables["orders"]
    assert snap.objects == ALL
    assert [(k.name, k.columns, k.ref_columns, k.ref_schema, k.on_update, k.on_delete)
            for k in orders.foreign_keys] == [
        ("fk_ext", ("ext_id",), ("id",), "other", "NO ACTION", "NO ACTION"),
        ("fk_user", ("user_id", "tenant"), ("id", "tenant"), None, "NO ACTION", "CASCADE")]
    check = orders.checks["orders_chk_1"]
    assert (check.expression, check.enforced, check.column) == ("`state` <> 'x'", False, None)
    assert orders.options == {"engine": "InnoDB", "charset": "utf8mb4",
                              "collation": "utf8mb4_0900_ai_ci", "row_format": "DYNAMIC",
                              "comment": "orders"}
    assert snap.tables["users"].options["collation"] == "utf8mb3_general_ci"
    assert snap.tables["users"].options["row_format"] == "COMPRESSED"
    assert snap.tables["users"].foreign_keys == () and snap.tables["users"].checks == {}
