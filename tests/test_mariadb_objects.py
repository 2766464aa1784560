"""Foreign keys, CHECK constraints and table options read from the real MariaDB (issue 20):
every kind of difference gives its finding, every spelling of one definition reads the
same, and without --objects nothing of it is read."""

from __future__ import annotations

import json

import pymysql
import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.model.kinds import (
    CHECK_CHANGED,
    CHECK_EXTRA,
    CHECK_MISSING,
    CHECK_RENAMED,
    FOREIGN_KEY_CHANGED,
    FOREIGN_KEY_EXTRA,
    FOREIGN_KEY_MISSING,
    FOREIGN_KEY_RENAMED,
    OPTIONS_CHANGED,
)
from indexdrift.sources import open_source

pytestmark = pytest.mark.mariadb

ALL = frozenset({"foreign_keys", "checks", "options"})

PRD = """
CREATE TABLE customers (id INT PRIMARY KEY, tenant INT NOT NULL, code VARCHAR(10) NOT NULL,
  UNIQUE KEY uq_tc (tenant, code), UNIQUE KEY uq_ct (code, tenant));
CREATE TABLE regions (id INT PRIMARY KEY, name VARCHAR(20),
  KEY ix_name (name(8)) COMMENT 'n' IGNORED);
CREATE TABLE orders (
  id INT PRIMARY KEY, customer_id INT, payer_id INT, tenant INT, code VARCHAR(10),
  region_id INT, parent_id INT, alt_id INT, other_id INT, ref_id INT,
  qty INT CHECK (qty > 0), vol INT CHECK (vol > 0), w INT CHECK (w > 0), price INT,
  j JSON,
  CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
  CONSTRAINT fk_payer FOREIGN KEY (payer_id) REFERENCES customers (id) ON UPDATE CASCADE,
  CONSTRAINT fk_cols FOREIGN KEY (other_id) REFERENCES customers (id),
  CONSTRAINT fk_ref FOREIGN KEY (ref_id) REFERENCES customers (id),
  CONSTRAINT fk_tc FOREIGN KEY (tenant, code) REFERENCES customers (tenant, code),
  CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES orders (id) ON DELETE SET NULL,
  CONSTRAINT fk_region FOREIGN KEY (region_id) REFERENCES regions (id),
  CONSTRAINT fk_alt FOREIGN KEY (alt_id) REFERENCES customers (id),
  CONSTRAINT ck_price CHECK (price >= 0),
  CONSTRAINT ck_gone CHECK (price < 1000000),
  CONSTRAINT ck_old CHECK (qty < 100)
);
CREATE TABLE notes (id INT PRIMARY KEY, order_id INT,
  CONSTRAINT fk_note_order FOREIGN KEY (order_id) REFERENCES orders (id)) COMMENT 'notes';
CREATE TABLE logs (id INT PRIMARY KEY, order_id INT);
CREATE TABLE opt_engine (id INT PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE opt_charset (id INT PRIMARY KEY) DEFAULT CHARSET=utf8mb4;
CREATE TABLE opt_collation (id INT PRIMARY KEY) COLLATE=utf8mb4_general_ci;
CREATE TABLE opt_row_format (id INT PRIMARY KEY) ROW_FORMAT=DYNAMIC;
CREATE TABLE opt_comment (id INT PRIMARY KEY) COMMENT 'before';
"""

DEV = """
CREATE TABLE customers (id INT PRIMARY KEY, tenant INT NOT NULL, code VARCHAR(10) NOT NULL,
  UNIQUE KEY uq_tc (tenant, code), UNIQUE KEY uq_ct (code, tenant));
CREATE TABLE regions (id INT PRIMARY KEY, name VARCHAR(20),
  KEY ix_name (name(8)) COMMENT 'n' IGNORED);
CREATE TABLE orders (
  id INT PRIMARY KEY, customer_id INT, payer_id INT, tenant INT, code VARCHAR(10),
  region_id INT, parent_id INT, alt_id INT, other_id INT, ref_id INT, extra_id INT,
  qty INT CHECK (qty > 1), vol INT, w INT, price INT,
  j JSON,
  CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE SET NULL,
  CONSTRAINT fk_payer FOREIGN KEY (payer_id) REFERENCES customers (id) ON UPDATE SET NULL,
  CONSTRAINT fk_cols FOREIGN KEY (ref_id) REFERENCES customers (id),
  CONSTRAINT fk_ref FOREIGN KEY (ref_id) REFERENCES regions (id),
  CONSTRAINT fk_tc FOREIGN KEY (code, tenant) REFERENCES customers (code, tenant),
  CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES orders (id) ON DELETE CASCADE,
  CONSTRAINT fk_alt_renamed FOREIGN KEY (alt_id) REFERENCES customers (id),
  CONSTRAINT fk_extra FOREIGN KEY (extra_id) REFERENCES regions (id),
  CONSTRAINT w CHECK (w > 0),
  CONSTRAINT ck_price CHECK (price > 0),
  CONSTRAINT ck_new CHECK (price < 5),
  CONSTRAINT ck_old_renamed CHECK (qty < 100)
);
CREATE TABLE notes (id INT PRIMARY KEY, order_id INT) COMMENT 'notes';
CREATE TABLE logs (id INT PRIMARY KEY, order_id INT,
  CONSTRAINT fk_note_order FOREIGN KEY (order_id) REFERENCES orders (id));
CREATE TABLE opt_engine (id INT PRIMARY KEY) ENGINE=Aria;
CREATE TABLE opt_charset (id INT PRIMARY KEY) DEFAULT CHARSET=latin1;
CREATE TABLE opt_collation (id INT PRIMARY KEY) COLLATE=utf8mb4_bin;
CREATE TABLE opt_row_format (id INT PRIMARY KEY) ROW_FORMAT=COMPACT;
CREATE TABLE opt_comment (id INT PRIMARY KEY) COMMENT 'after';
"""

EXPECTED = {
    (FOREIGN_KEY_CHANGED, "orders", "fk_customer"): ["on_delete"],
    (FOREIGN_KEY_CHANGED, "orders", "fk_payer"): ["on_update"],
    (FOREIGN_KEY_CHANGED, "orders", "fk_cols"): ["columns"],
    (FOREIGN_KEY_CHANGED, "orders", "fk_ref"): ["references"],
    (FOREIGN_KEY_CHANGED, "orders", "fk_tc"): ["columns", "references"],  # composite
    (FOREIGN_KEY_CHANGED, "orders", "fk_parent"): ["on_delete"],  # self-referencing
    (FOREIGN_KEY_MISSING, "orders", "fk_region"): [],
    (FOREIGN_KEY_RENAMED, "orders", "fk_alt"): ["name"],
    (FOREIGN_KEY_EXTRA, "orders", "fk_extra"): [],
    (FOREIGN_KEY_MISSING, "notes", "fk_note_order"): [],  # moved to another table
    (FOREIGN_KEY_EXTRA, "logs", "fk_note_order"): [],
    (CHECK_CHANGED, "orders", "ck_price"): ["expression"],
    (CHECK_CHANGED, "orders", "qty"): ["expression"],  # column-level
    (CHECK_CHANGED, "orders", "w"): ["column"],  # column-level in prd, table-level in dev
    (CHECK_MISSING, "orders", "vol"): [],  # column-level
    (CHECK_MISSING, "orders", "ck_gone"): [],
    (CHECK_EXTRA, "orders", "ck_new"): [],
    (CHECK_RENAMED, "orders", "ck_old"): ["name"],
    # An engine brings its own row format (InnoDB's default DYNAMIC, Aria's PAGE).
    (OPTIONS_CHANGED, "opt_engine", ""): ["engine", "row_format"],
    (OPTIONS_CHANGED, "opt_charset", ""): ["charset", "collation"],
    (OPTIONS_CHANGED, "opt_collation", ""): ["collation"],
    (OPTIONS_CHANGED, "opt_row_format", ""): ["row_format"],
    (OPTIONS_CHANGED, "opt_comment", ""): ["comment"],
}


def _pair(mariadb, prd_sql: str, dev_sql: str) -> tuple[str, str]:
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, prd_sql)
    mariadb.run(dev, dev_sql)
    return prd, dev


def _findings(mariadb, prd: str, dev: str, indexes: bool = False) -> dict:
    """(kind, table, name) → changes of the findings of foreign keys, checks and options
    (and of indexes too with ``indexes``: the foreign keys' own indexes differ as well)."""
    snapshots = {"prd": open_source(mariadb.url(prd), "prd", objects=ALL),
                 "dev": open_source(mariadb.url(dev), "dev", objects=ALL)}
    return {(f.kind, f.table, f.constraint if f.constraint is not None else f.index): f.changes
            for f in compare(snapshots, "prd").findings
            if indexes or f.object_kind != "indexes"}


def _cli(mariadb, prd: str, dev: str, *options: str):
    return CliRunner().invoke(cli, ["compare", f"prd={mariadb.url(prd)}",
                                    f"dev={mariadb.url(dev)}", "--format", "json", *options])


def test_every_kind_of_difference(mariadb):
    prd, dev = _pair(mariadb, PRD, DEV)
    assert _findings(mariadb, prd, dev) == EXPECTED


def test_every_kind_of_difference_through_the_cli(mariadb):
    prd, dev = _pair(mariadb, PRD, DEV)
    result = _cli(mariadb, prd, dev, "--objects", "all")
    assert result.exit_code == 1, result.output
    # --objects all compares the columns too (dev has one more): only foreign keys,
    # checks and options are counted here.
    found = {(f["kind"], f["table"], f.get("constraint") or ""): f["changes"]
             for f in json.loads(result.stdout)["findings"]
             if f["object_kind"] in ("foreign_key", "check", "table")}
    assert found == EXPECTED


def test_what_was_read(mariadb):
    prd, _ = _pair(mariadb, PRD, DEV)
    snap = open_source(mariadb.url(prd), "prd", objects=ALL)
    assert snap.objects == ALL
    orders = snap.tables["orders"]
    fks = {fk.name: fk for fk in orders.foreign_keys}
    assert [fk.name for fk in orders.foreign_keys] == sorted(fks, key=str.lower)
    tc = fks["fk_tc"]
    assert (tc.columns, tc.ref_table, tc.ref_columns, tc.on_update, tc.on_delete, tc.match,
            tc.ref_schema, tc.exact_name) == (("tenant", "code"), "customers",
                                              ("tenant", "code"), "NO ACTION", "NO ACTION",
                                              "SIMPLE", None, False)
    assert fks["fk_parent"].ref_table == "orders" and fks["fk_parent"].on_delete == "SET NULL"
    # The JSON column's json_valid() check belongs to its type: not a check of its own.
    assert sorted(orders.checks) == ["ck_gone", "ck_old", "ck_price", "qty", "vol", "w"]
    assert orders.checks["qty"].column == "qty" and orders.checks["ck_price"].column is None
    assert orders.checks["ck_price"].expression == "`price` >= 0"
    assert snap.tables["logs"].foreign_keys == () and snap.tables["logs"].checks == {}
    # The index rows share the query with the new parts: they read as without them.
    alone = open_source(mariadb.url(prd), "prd")
    assert {n: t.indexes for n, t in snap.tables.items()} == {
        n: t.indexes for n, t in alone.tables.items()}
    assert snap.tables["regions"].indexes["ix_name"].parts[0].sub_part == 8
    assert snap.tables["notes"].options == {
        "engine": "InnoDB", "charset": "utf8mb4", "collation": "utf8mb4_general_ci",
        "row_format": "DYNAMIC", "comment": "notes"}


def test_only_the_kinds_asked_are_read(mariadb):
    prd, _ = _pair(mariadb, PRD, DEV)
    snap = open_source(mariadb.url(prd), "prd", objects=frozenset({"checks"}))
    assert snap.objects == {"checks"}
    orders = snap.tables["orders"]
    assert orders.foreign_keys == () and orders.options is None and orders.checks
    snap = open_source(mariadb.url(prd), "prd", objects=frozenset({"options"}))
    assert snap.objects == {"options"} and snap.tables["orders"].checks is None


def test_cross_schema_reference(mariadb):
    parent = mariadb.create_db("par")
    mariadb.run(parent, "CREATE TABLE accounts (id INT PRIMARY KEY)")
    prd, dev = _pair(mariadb, "CREATE TABLE accounts (id INT PRIMARY KEY); "
                     f"CREATE TABLE t (a INT, CONSTRAINT fk_a FOREIGN KEY (a) REFERENCES "
                     f"`{parent}`.accounts (id))",
                     "CREATE TABLE accounts (id INT PRIMARY KEY); "
                     "CREATE TABLE t (a INT, CONSTRAINT fk_a FOREIGN KEY (a) REFERENCES "
                     "accounts (id))")
    try:
        fk = open_source(mariadb.url(prd), "prd", objects=ALL).tables["t"].foreign_keys[0]
        assert (fk.ref_schema, fk.ref_table) == (parent, "accounts")
        assert _findings(mariadb, prd, dev) == {
            (FOREIGN_KEY_CHANGED, "t", "fk_a"): ["references"]}
    finally:
        mariadb.run(prd, "DROP TABLE t")  # the parent schema can go only after its child


# Each pair: one definition written two ways; both must read identically.
PROBES = [
    # 1-3: RESTRICT, NO ACTION and no clause are one rule on InnoDB.
    ("CREATE TABLE p01 (id INT PRIMARY KEY, a INT, b INT, c INT, "
     "CONSTRAINT f01a FOREIGN KEY (a) REFERENCES p01 (id) ON DELETE RESTRICT, "
     "CONSTRAINT f01b FOREIGN KEY (b) REFERENCES p01 (id) ON DELETE NO ACTION, "
     "CONSTRAINT f01c FOREIGN KEY (c) REFERENCES p01 (id))",
     "CREATE TABLE p01 (id INT PRIMARY KEY, a INT, b INT, c INT, "
     "CONSTRAINT f01a FOREIGN KEY (a) REFERENCES p01 (id), "
     "CONSTRAINT f01b FOREIGN KEY (b) REFERENCES p01 (id) ON DELETE RESTRICT, "
     "CONSTRAINT f01c FOREIGN KEY (c) REFERENCES p01 (id) ON DELETE NO ACTION)"),
    ("CREATE TABLE p02 (id INT PRIMARY KEY, a INT, b INT, "
     "CONSTRAINT f02a FOREIGN KEY (a) REFERENCES p02 (id) ON UPDATE RESTRICT, "
     "CONSTRAINT f02b FOREIGN KEY (b) REFERENCES p02 (id) ON UPDATE NO ACTION)",
     "CREATE TABLE p02 (id INT PRIMARY KEY, a INT, b INT, "
     "CONSTRAINT f02a FOREIGN KEY (a) REFERENCES p02 (id) ON UPDATE NO ACTION, "
     "CONSTRAINT f02b FOREIGN KEY (b) REFERENCES p02 (id))"),
    # 4: MATCH FULL is parsed and ignored (MATCH_OPTION is NONE).
    ("CREATE TABLE p03 (id INT PRIMARY KEY, a INT, "
     "CONSTRAINT f03 FOREIGN KEY (a) REFERENCES p03 (id) MATCH FULL)",
     "CREATE TABLE p03 (id INT PRIMARY KEY, a INT, "
     "CONSTRAINT f03 FOREIGN KEY (a) REFERENCES p03 (id))"),
    # 5: constraint names in other case; columns and parent in other quoting and case.
    ("CREATE TABLE p04 (id INT PRIMARY KEY, a INT, CONSTRAINT Fk_P04 FOREIGN KEY (A) "
     "REFERENCES `p04` (`ID`), CONSTRAINT Ck_P04 CHECK (a > 0))",
     "CREATE TABLE p04 (id INT PRIMARY KEY, a INT, CONSTRAINT fk_p04 FOREIGN KEY (a) "
     "REFERENCES p04 (id), CONSTRAINT CK_P04 CHECK (a > 0))"),
    # 6: spacing, backticks, case and redundant parentheses of a check.
    ("CREATE TABLE p05 (a INT, CONSTRAINT c05 CHECK (a>0), CONSTRAINT c05b CHECK (A > 0 AND "
     "a < 9))",
     "CREATE TABLE p05 (a INT, CONSTRAINT c05 CHECK ( `a` > 0 ), CONSTRAINT c05b CHECK "
     "(((`a` > 0)) and (a<9)))"),
    # 7: operator synonyms.
    ("CREATE TABLE p06 (a INT, b INT, CONSTRAINT c06 CHECK (a != b AND NOT (a = 1) "
     "&& a % 2 = 0 || b IS NOT NULL))",
     "CREATE TABLE p06 (a INT, b INT, CONSTRAINT c06 CHECK (a <> b and a <> 1 and a MOD 2 = 0 "
     "or not b is null))"),
    # 8: string quoting and an introducer.
    ("CREATE TABLE p07 (s VARCHAR(5), CONSTRAINT c07 CHECK (s <> \"x\" AND s <> 'y'))",
     "CREATE TABLE p07 (s VARCHAR(5), CONSTRAINT c07 CHECK (s <> 'x' AND s <> _utf8mb4'y'))"),
    # 9: a column-level check with other spacing.
    ("CREATE TABLE p08 (q INT CHECK (q>0))", "CREATE TABLE p08 (q INT CHECK ( `q` > 0 ))"),
    # 10: the JSON column's implicit check on both sides.
    ("CREATE TABLE p09 (j JSON)", "CREATE TABLE p09 (j JSON NULL)"),
    # 11-13: the charset implied by the collation or the schema, or written.
    ("CREATE TABLE p10 (id INT) DEFAULT CHARSET=utf8mb4",
     "CREATE TABLE p10 (id INT) COLLATE=utf8mb4_general_ci"),
    ("CREATE TABLE p11 (id INT)",
     "CREATE TABLE p11 (id INT) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"),
    ("CREATE TABLE p12 (id INT) CHARSET=utf8", "CREATE TABLE p12 (id INT) CHARSET=utf8mb3"),
    # 14-15: the engine's spelling, or the default engine.
    ("CREATE TABLE p13 (id INT) ENGINE=innodb", "CREATE TABLE p13 (id INT) ENGINE=InnoDB"),
    ("CREATE TABLE p14 (id INT)", "CREATE TABLE p14 (id INT) ENGINE=INNODB"),
    # 16-18: an explicit row format equal to the default, or DEFAULT, or none.
    ("CREATE TABLE p15 (id INT) ROW_FORMAT=DYNAMIC", "CREATE TABLE p15 (id INT)"),
    ("CREATE TABLE p16 (id INT) ROW_FORMAT=DEFAULT", "CREATE TABLE p16 (id INT) "
     "ROW_FORMAT=dynamic"),
    ("CREATE TABLE p17 (id INT) ENGINE=Aria ROW_FORMAT=PAGE", "CREATE TABLE p17 (id INT) "
     "ENGINE=Aria"),
    # 19: an empty comment or none.
    ("CREATE TABLE p18 (id INT) COMMENT ''", "CREATE TABLE p18 (id INT)"),
]


def test_no_false_drift(mariadb):
    prd, dev = _pair(mariadb, ";\n".join(p for p, _ in PROBES),
                     ";\n".join(d for _, d in PROBES))
    assert _findings(mariadb, prd, dev, indexes=True) == {}
    result = _cli(mariadb, prd, dev, "--objects", "all")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["findings"] == []


def test_default_objects_read_nothing_more(mariadb, monkeypatch):
    prd, dev = _pair(mariadb, PRD, DEV)
    default = _cli(mariadb, prd, dev)
    indexes = _cli(mariadb, prd, dev, "--objects", "indexes")
    assert default.exit_code == indexes.exit_code == 1, default.output

    def rows(result) -> list[tuple]:
        return [(f["kind"], f["table"], f["index"], f["changes"], f["baseline_definition"],
                 f["env_definition"]) for f in json.loads(result.stdout)["findings"]]

    assert rows(default) == rows(indexes)
    assert {row[0] for row in rows(default)} == {"missing", "extra", "changed", "renamed"}
    statements: list[str] = []
    execute = pymysql.cursors.Cursor.execute

    def record(self, query, args=None):
        if query != "SET SESSION TRANSACTION READ ONLY":  # connect's init_command
            statements.append(query)
        return execute(self, query, args)

    monkeypatch.setattr(pymysql.cursors.Cursor, "execute", record)
    snap = open_source(mariadb.url(prd), "prd")
    assert len(statements) == 1
    for word in ("REFERENTIAL_CONSTRAINTS", "CHECK_CONSTRAINTS", "TABLE_COLLATION",
                 "innodb_default_row_format", "KEY_COLUMN_USAGE"):
        assert word not in statements[0]
    assert snap.objects == frozenset()
    assert all(t.foreign_keys == () and t.checks is None and t.options is None
               for t in snap.tables.values())
    statements.clear()
    open_source(mariadb.url(prd), "prd", objects=ALL)
    assert len(statements) == 1  # still one catalog query on one connection


def test_detail_read_keeps_what_safety_needs(mariadb):
    prd, _ = _pair(mariadb, PRD, DEV)
    plain = open_source(mariadb.url(prd), "prd", detail=True)
    full = open_source(mariadb.url(prd), "prd", detail=True,
                       objects=frozenset({"foreign_keys"}))
    assert "foreign_keys" not in plain.objects and "foreign_keys" in full.objects
    for name, table in plain.tables.items():
        assert [(k.name, k.columns) for k in table.foreign_keys] == [
            (k.name, k.columns) for k in full.tables[name].foreign_keys]
        assert all(k.ref_table is None for k in table.foreign_keys)
        assert table.engine == full.tables[name].engine
        assert table.size_bytes == full.tables[name].size_bytes
    assert [k.name for k in plain.tables["orders"].foreign_keys] == [
        "fk_alt", "fk_cols", "fk_customer", "fk_parent", "fk_payer", "fk_ref", "fk_region",
        "fk_tc"]


def test_charset_of_every_collation_is_its_name_prefix(mariadb):
    # The rule objects.charset_of relies on, on every collation this server has
    # (MariaDB 10.10+ lists the uca1400 ones under FULL_COLLATION_NAME).
    columns = {row[0] for row in mariadb.query(
        "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
        "'information_schema' AND TABLE_NAME = 'COLLATION_CHARACTER_SET_APPLICABILITY'")}
    name = "FULL_COLLATION_NAME" if "FULL_COLLATION_NAME" in columns else "COLLATION_NAME"
    from indexdrift.dialects.mysql.objects import charset_of, collation_name
    rows = mariadb.query(f"SELECT {name}, CHARACTER_SET_NAME FROM "
                         "information_schema.COLLATION_CHARACTER_SET_APPLICABILITY")
    assert len(rows) > 100
    for collation, charset in rows:
        assert charset_of(collation_name(collation)) == collation_name(charset + "_")[:-1]
