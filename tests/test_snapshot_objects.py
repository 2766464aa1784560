"""Snapshots carry every object kind (issue 20): columns, full foreign keys, checks, table
options and Snapshot.objects survive a round trip; older files read as before; the SQL text
of a file is checked; a live snapshot compared with its database is clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.core.errors import InputError
from indexdrift.model.tables import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    KeyPart,
    Snapshot,
    Table,
)
from indexdrift.sources import open_source
from indexdrift.sources.snapshot import load_snapshot, save_snapshot, snapshot_json

EXAMPLES = Path(__file__).parent.parent / "examples"
HOSTILE = "it's \"quoted\" `ticked`\nline two 주문 \\ back"


def mariadb_snapshot() -> Snapshot:
    """A MariaDB snapshot holding every kind, every field set, with hostile text."""
    snap = Snapshot(source="mysql://app@db/shop", schema="shop", flavor="mariadb",
                    version="10.11.6", has_details=True,
                    objects=frozenset({"foreign_keys", "checks", "options"}))
    orders = Table("orders", size_bytes=4096, engine="InnoDB", auto_increment_column="id",
                   foreign_keys=(
                       ForeignKey("orders", "fk_cust", ("customer_id", "tenant"), "customers",
                                  ("id", "tenant"), on_update="CASCADE", on_delete="SET NULL"),
                       ForeignKey("orders", "fk_주문 'x'", ("x",), "other", ("id",),
                                  ref_schema="shop_ref", on_delete="RESTRICT")),
                   checks={"ck_qty": CheckConstraint("orders", "ck_qty", "`qty` > 0"),
                           "ck_note": CheckConstraint("orders", "ck_Note",
                                                      "`note` <> 'it''s\\n주문'",
                                                      column="note", enforced=False)},
                   options={"engine": "InnoDB", "charset": "utf8mb4",
                            "collation": "utf8mb4_unicode_ci", "row_format": "",
                            "comment": HOSTILE})
    orders.add(Index("orders", "PRIMARY", (KeyPart("id"),), unique=True, primary=True))
    orders.add(Index("orders", "ix_cust", (KeyPart("customer_id"), KeyPart("tenant"))))
    orders.columns = {
        "id": Column("id", 1, "int unsigned", False, None, auto_increment=True),
        "customer_id": Column("customer_id", 2, "int", True, "NULL"),
        "tenant": Column("tenant", 3, "varchar(20)", False, "'a''b'", comment=HOSTILE,
                         charset="utf8mb4", collation="utf8mb4_bin"),
        "x": Column("x", 4, "int", True, "NULL"),
        "note": Column("note", 5, "text", True, "NULL"),
        "updated": Column("updated", 6, "timestamp", False, "current_timestamp()",
                          on_update="current_timestamp()"),
        "total": Column("total", 7, "decimal(10,2)", True, None, generated="VIRTUAL",
                        expression="`qty` * 2"),
        "doc": Column("doc", 8, "longtext", True, "NULL", charset="utf8mb4",
                      collation="utf8mb4_bin", check="json_valid(`doc`)"),
    }
    customers = Table("customers", engine="InnoDB", checks={}, options={"engine": "InnoDB"})
    customers.add(Index("customers", "PRIMARY", (KeyPart("id"),), unique=True, primary=True))
    customers.columns = {"id": Column("id", 1, "int", False, None)}
    snap.tables = {"orders": orders, "customers": customers}
    return snap


def postgres_snapshot() -> Snapshot:
    """A PostgreSQL snapshot: case-sensitive names, deferrable and NOT VALID keys,
    identity columns, NO INHERIT checks, persistence."""
    snap = Snapshot(source="postgresql://app@db/shop", schema="public", flavor="postgresql",
                    version="15.4", has_details=True,
                    objects=frozenset({"foreign_keys", "checks", "options"}))
    t = Table("Orders", foreign_keys=(
        ForeignKey("Orders", "Fk_Cust", ("CustomerId",), "Customers", ("Id",),
                   match="FULL", deferrable="DEFERRED", valid=False, exact_name=True),),
        checks={"Ck_Qty": CheckConstraint("Orders", "Ck_Qty", "(qty > 0)", valid=False,
                                          no_inherit=True, exact_name=True)},
        options={"persistence": "unlogged", "comment": HOSTILE})
    t.add(Index("Orders", "Orders_pkey", (KeyPart("Id", exact_column=True),), unique=True,
                primary=True, constraint="p", exact_name=True))
    t.columns = {
        "Id": Column("Id", 1, "bigint", False, None, identity="ALWAYS", dialect="postgresql",
                     identity_options="START WITH 10 INCREMENT BY 5 CACHE 20 CYCLE"),
        "CustomerId": Column("CustomerId", 2, "integer", True, None, dialect="postgresql"),
        "qty": Column("qty", 3, "integer", True, "0", dialect="postgresql",
                      collation=None, comment=HOSTILE),
    }
    snap.tables = {"Orders": t}
    return snap


@pytest.mark.parametrize("make", [mariadb_snapshot, postgres_snapshot])
@pytest.mark.parametrize("name", ["snap.json", "snap.json.gz"])
def test_every_kind_survives_a_round_trip(tmp_path, make, name):
    original = make()
    path = tmp_path / name
    save_snapshot(original, str(path))
    loaded = load_snapshot(str(path))
    assert loaded.objects == original.objects
    assert loaded.tables == original.tables  # every field of every object
    for table_name, table in original.tables.items():
        # Column order is part of the model (dict equality alone ignores it).
        assert list(loaded.tables[table_name].columns) == list(table.columns)
    assert compare({"a": original, "b": loaded}, "a").findings == []


def test_every_model_field_is_written():
    """A field added to the model later must be added to the format too."""
    import dataclasses

    doc = snapshot_json(mariadb_snapshot())
    orders = _orders(doc)
    for cls, written in ((Column, orders["columns"][0]), (ForeignKey, orders["foreign_keys"][0]),
                         (CheckConstraint, orders["checks"][0])):
        fields = {f.name for f in dataclasses.fields(cls)} - {"table"}
        assert fields == set(written), cls.__name__


def test_index_only_snapshot_is_written_as_before(tmp_path):
    """No new key in a snapshot that carries nothing new, so its bytes do not change."""
    snap = mariadb_snapshot()
    snap.objects = frozenset()
    for table in snap.tables.values():
        table.columns = table.checks = table.options = None
        table.foreign_keys = tuple(ForeignKey(fk.table, fk.name, fk.columns)
                                   for fk in table.foreign_keys)
    doc = snapshot_json(snap)
    assert set(doc) == {"format", "format_version", "tool", "taken_at", "source", "schema",
                        "flavor", "version", "has_details", "warnings", "tables"}
    assert {key for t in doc["tables"] for key in t} == {
        "name", "size_bytes", "engine", "auto_increment_column", "foreign_keys", "indexes"}
    assert doc["tables"][1]["foreign_keys"][0] == {"name": "fk_cust",
                                                   "columns": ["customer_id", "tenant"]}


def test_older_snapshot_reads_as_today(tmp_path):
    doc = snapshot_json(mariadb_snapshot())
    doc.pop("objects")
    for table in doc["tables"]:
        for key in ("columns", "checks", "options"):
            table.pop(key)
        table["foreign_keys"] = [{"name": fk["name"], "columns": fk["columns"]}
                                 for fk in table["foreign_keys"]]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    loaded = load_snapshot(str(path))
    assert loaded.objects == frozenset()
    orders = loaded.tables["orders"]
    assert (orders.columns, orders.checks, orders.options) == (None, None, None)
    assert orders.foreign_keys[0] == ForeignKey("orders", "fk_cust", ("customer_id", "tenant"))


def test_unknown_object_words_and_options_are_left_out(tmp_path):
    doc = snapshot_json(mariadb_snapshot())
    doc["objects"].append("triggers")
    doc["tables"][1]["options"]["auto_increment_start"] = "5"
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    loaded = load_snapshot(str(path))
    assert "triggers" not in loaded.objects
    assert "auto_increment_start" not in loaded.tables["orders"].options


def _orders(doc: dict) -> dict:
    return next(t for t in doc["tables"] if t["name"] == "orders")


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t["checks"][0].update(expression="1); DROP TABLE x; --"), "checks"),
    (lambda t: t["checks"][0].update(expression="a\0b"), "NUL"),
    (lambda t: t["checks"].append(dict(t["checks"][0])), "appears twice"),
    (lambda t: t["columns"][1].update(default="1); DROP TABLE x; --"), "columns\\[1\\].default"),
    (lambda t: t["columns"][1].update(check="1) OR (1"), "columns\\[1\\].check"),
    (lambda t: t["columns"][1].update(column_type="int; DROP TABLE x"), "column_type"),
    (lambda t: t["columns"][1].update(collation="a b"), "collation"),
    (lambda t: t["columns"][1].update(comment="x\0"), "NUL"),
    (lambda t: t["columns"][1].update(dialect="oracle"), "dialect"),
    (lambda t: t["columns"][1].update(generated="MAYBE"), "generated"),
    (lambda t: t["columns"][1].update(identity_options="1; DROP"), "identity options"),
    (lambda t: t["columns"][1].update(nullable="yes"), "true or false"),
    (lambda t: t["columns"][1].update(position=0), "position"),
    (lambda t: t["columns"][1].update(position=1), "appears twice"),
    (lambda t: t["columns"].append(dict(t["columns"][0], position=99)), "appears twice"),
    (lambda t: t["foreign_keys"][0].update(on_delete="DROP TABLE"), "on_delete"),
    (lambda t: t["foreign_keys"][0].update(match="SOME"), "match"),
    (lambda t: t["foreign_keys"][0].update(deferrable="LATER"), "deferrable"),
    (lambda t: t["foreign_keys"][0].update(ref_table="a\0"), "NUL"),
    (lambda t: t["foreign_keys"][0].update(ref_columns="id"), "expected a list"),
    (lambda t: t["options"].update(engine="InnoDB; DROP TABLE x"), "one word"),
    (lambda t: t["options"].update(comment=5), "expected a string"),
    (lambda t: t.update(options=[]), "expected an object"),
])
def test_damaged_objects_name_the_json_path(tmp_path, mutate, message):
    doc = snapshot_json(mariadb_snapshot())
    mutate(_orders(doc))
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        load_snapshot(str(path))
    assert "tables[1]" in str(caught.value)


def _save(snapshot: Snapshot, path: Path) -> str:
    save_snapshot(snapshot, str(path))
    return str(path)


def test_snapshots_compare_what_is_asked(tmp_path):
    base = mariadb_snapshot()
    env = mariadb_snapshot()
    orders = env.tables["orders"]
    orders.foreign_keys = orders.foreign_keys[:1]
    orders.checks = {"ck_qty": orders.checks["ck_qty"]}
    orders.options = {**orders.options, "row_format": "COMPACT"}
    del orders.columns["total"]
    prd, dev = _save(base, tmp_path / "prd.json"), _save(env, tmp_path / "dev.json")
    runner = CliRunner()

    def kinds(*args):
        result = runner.invoke(cli, ["compare", f"prd={prd}", f"dev={dev}", "--no-usage",
                                     "--format", "json", *args])
        assert result.exit_code in (0, 1), result.output
        return sorted(f["kind"] for f in json.loads(result.stdout)["findings"])

    assert kinds() == []  # indexes only, as always: nothing else is compared
    assert kinds("--objects", "all") == ["check_missing", "column_missing",
                                         "foreign_key_missing", "table_options_changed"]
    assert kinds("--objects", "columns") == ["column_missing"]
    assert kinds("--objects", "tables") == ["table_options_changed"]
    assert kinds("--objects", "foreign_keys,checks") == ["check_missing",
                                                         "foreign_key_missing"]
    # check compares what it always compared.
    assert runner.invoke(cli, ["check", f"prd={prd}", f"dev={dev}", "-q"]).exit_code == 0
    # A CSV env mixes with them as today: nothing it cannot know is compared.
    csv = EXAMPLES / "indexes_prd.csv"
    mixed = runner.invoke(cli, ["compare", f"prd={prd}", f"csv={csv}", "--no-usage",
                                "--format", "json", "--objects", "foreign_keys,checks,tables"])
    found = {f["object_kind"] for f in json.loads(mixed.stdout)["findings"]}
    assert found <= {"table"} and all(
        f["kind"] in ("table_missing", "table_extra")
        for f in json.loads(mixed.stdout)["findings"])


def test_snapshot_of_a_file_with_its_columns(tmp_path):
    columns = tmp_path / "columns.csv"
    columns.write_text(
        "TABLE_SCHEMA,TABLE_NAME,COLUMN_NAME,ORDINAL_POSITION,COLUMN_DEFAULT,IS_NULLABLE,"
        "DATA_TYPE,COLUMN_TYPE,CHARACTER_SET_NAME,COLLATION_NAME,EXTRA,COLUMN_COMMENT,"
        "GENERATION_EXPRESSION\n"
        "shop,users,id,1,NULL,NO,int,int,NULL,NULL,auto_increment,,\n"
        "shop,users,email,2,NULL,YES,varchar,varchar(100),utf8mb4,utf8mb4_general_ci,,,\n",
        encoding="utf-8")
    out = tmp_path / "prd.json"
    stats = EXAMPLES / "indexes_prd.csv"
    runner = CliRunner()
    made = runner.invoke(cli, ["snapshot", f"prd={stats}", "-o", str(out), "--objects",
                               "columns", "--columns-from", f"prd={columns}"])
    assert made.exit_code == 0, made.output
    loaded = load_snapshot(str(out))
    assert list(loaded.tables["users"].columns) == ["id", "email"]
    # The snapshot is its own column source: no --columns-from needed to compare it.
    again = runner.invoke(cli, ["compare", f"prd={out}", f"dev={out}", "--no-usage",
                                "--objects", "columns"])
    assert again.exit_code == 0, again.output
    stray = runner.invoke(cli, ["snapshot", f"prd={stats}", "-o", str(out),
                                "--columns-from", f"prd={columns}"])
    assert "--columns-from needs --objects columns" in str(stray.exception)
    other = runner.invoke(cli, ["snapshot", f"prd={stats}", "-o", str(out), "--objects",
                                "columns", "--columns-from", f"stg={columns}"])
    assert "no such environment" in str(other.exception)


def test_index_only_file_still_needs_its_columns_file(tmp_path):
    result = CliRunner().invoke(cli, ["compare", str(EXAMPLES / "indexes_prd.csv"),
                                      str(EXAMPLES / "indexes_dev.csv"), "--objects", "columns"])
    assert "file of indexes only" in str(result.exception)


def _live_round_trip(url: str, tmp_path: Path, objects: str) -> Snapshot:
    """snapshot URL, then compare the snapshot with the database: no finding; the
    snapshot as loaded."""
    out = tmp_path / f"live_{objects.replace(',', '_')}.json.gz"
    runner = CliRunner()
    made = runner.invoke(cli, ["snapshot", f"prd={url}", "-o", str(out), "--objects", objects])
    assert made.exit_code == 0, made.output
    result = runner.invoke(cli, ["compare", f"prd={out}", f"dev={url}", "--objects", objects,
                                 "--no-usage", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["findings"] == []
    wanted = {"foreign_keys", "checks", "options"} if objects == "all" else frozenset()
    live = open_source(url, "prd", detail=True, columns=True, objects=frozenset(wanted))
    loaded = load_snapshot(str(out))
    assert loaded.objects == live.objects
    assert loaded.tables == live.tables
    return loaded


@pytest.mark.mariadb
@pytest.mark.parametrize("objects", ["columns", "all"])
def test_live_mariadb_snapshot_compares_clean_with_its_database(mariadb, tmp_path, objects):
    db = mariadb.create_db("snapobj")
    mariadb.run(db, """
        CREATE TABLE customers (id INT PRIMARY KEY, tenant VARCHAR(20) NOT NULL DEFAULT 'a''b',
                                UNIQUE KEY uq_tenant (id, tenant)) COMMENT 'it''s 주문';
        CREATE TABLE orders (
            id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
            customer_id INT, tenant VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
            qty INT NOT NULL DEFAULT 1 CHECK (qty > 0),
            note TEXT COMMENT 'line\\ntwo',
            updated TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
            total INT AS (qty * 2) VIRTUAL,
            CONSTRAINT ck_note CHECK (note <> 'x'),
            CONSTRAINT fk_cust FOREIGN KEY (customer_id) REFERENCES customers (id)
                ON DELETE SET NULL ON UPDATE CASCADE
        ) ROW_FORMAT=DYNAMIC COMMENT 'orders';
    """)
    loaded = _live_round_trip(mariadb.url(db), tmp_path, objects)
    orders = loaded.tables["orders"]
    assert list(orders.columns) == ["id", "customer_id", "tenant", "qty", "note", "updated",
                                    "total"]
    if objects == "all":  # the MariaDB reader reads them (dialects/mysql/catalog.py)
        assert loaded.objects == {"foreign_keys", "checks", "options"}
        fk = orders.foreign_keys[0]
        assert (fk.ref_table, fk.on_delete, fk.on_update) == ("customers", "SET NULL",
                                                              "CASCADE")
        assert set(orders.checks) >= {"ck_note"} and orders.options["comment"] == "orders"


@pytest.mark.postgres
@pytest.mark.parametrize("objects", ["columns", "all"])
def test_live_postgres_snapshot_compares_clean_with_its_database(postgres, tmp_path, objects):
    db = postgres.create_db("snapobj")
    postgres.run(db, """
        CREATE TABLE "Customers" ("Id" int PRIMARY KEY, tenant text NOT NULL DEFAULT 'a''b');
        COMMENT ON TABLE "Customers" IS 'it''s 주문';
        CREATE UNLOGGED TABLE orders (
            id bigint GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5) PRIMARY KEY,
            customer_id int REFERENCES "Customers" ("Id") ON DELETE CASCADE
                DEFERRABLE INITIALLY DEFERRED,
            qty int NOT NULL DEFAULT 1 CONSTRAINT ck_qty CHECK (qty > 0),
            total int GENERATED ALWAYS AS (qty * 2) STORED
        );
        ALTER TABLE orders ADD CONSTRAINT ck_total CHECK (total < 1000) NOT VALID;
    """)
    loaded = _live_round_trip(postgres.url(db), tmp_path, objects)
    orders = loaded.tables["orders"]
    assert orders.columns["id"].identity == "ALWAYS"
    if objects == "all":  # the PostgreSQL reader reads them (dialects/postgresql/catalog.py)
        assert loaded.objects == {"foreign_keys", "checks", "options"}
        fk = orders.foreign_keys[0]
        assert (fk.ref_table, fk.on_delete, fk.deferrable) == ("Customers", "CASCADE",
                                                               "DEFERRED")
        assert {c.name: c.valid for c in orders.checks.values()} == {"ck_qty": True,
                                                                     "ck_total": False}


def test_sqlite_snapshot_compares_clean_with_its_file(tmp_path):
    import sqlite3

    path = tmp_path / "shop.db"
    with sqlite3.connect(path) as conn:
        conn.executescript("""
            CREATE TABLE customers (id INTEGER PRIMARY KEY, tenant TEXT NOT NULL);
            CREATE TABLE orders (
                id INTEGER PRIMARY KEY,
                customer_id INTEGER REFERENCES customers (id) ON DELETE CASCADE
                    DEFERRABLE INITIALLY DEFERRED,
                qty INTEGER NOT NULL CONSTRAINT ck_qty CHECK (qty > 0),
                note TEXT CHECK (note <> 'it''s'),
                CONSTRAINT fk_self FOREIGN KEY (id) REFERENCES orders (id)
            ) STRICT;
            CREATE TABLE tags (name TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE INDEX ix_qty ON orders (qty);
        """)
    out = tmp_path / "shop.json"
    runner = CliRunner()
    objects = "all"  # the SQLite reader of sqlite:/// URLs reads the columns too
    url = f"sqlite:///{path}"
    made = runner.invoke(cli, ["snapshot", f"prd={url}", "-o", str(out), "--objects", objects])
    assert made.exit_code == 0, made.output
    result = runner.invoke(cli, ["compare", f"prd={out}", f"dev={url}", "--objects", objects,
                                 "--no-usage", "--format", "json"])
    assert result.exit_code == 0, result.output
    live = open_source(url, "prd", detail=True, columns=True,
                       objects=frozenset({"foreign_keys", "checks", "options"}))
    loaded = load_snapshot(str(out))
    assert loaded.objects == live.objects and loaded.tables == live.tables
    assert list(loaded.tables["orders"].columns) == ["id", "customer_id", "qty", "note"]
