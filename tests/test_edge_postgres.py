"""PostgreSQL edge cases a DBA meets in real schemas, end to end on the real server: read,
compare, write each layout's migration, apply it, compare again, roll back."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from postgres_apply import (
    apply_layout,
    assert_round_trip,
    finding_set,
    index_state,
    migrate_files,
    pg_pair,
)

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.ddl.layouts import LAYOUTS
from indexdrift.sources import open_source
from indexdrift.sources.snapshot import load_snapshot, save_snapshot

pytestmark = pytest.mark.postgres

PARTITIONED = """
CREATE TABLE meas (id int, region text, ts timestamptz) PARTITION BY RANGE (ts);
CREATE TABLE meas_2024 PARTITION OF meas FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE meas_2025 PARTITION OF meas FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
"""
# prd: a plain and a unique index on the parent (each partition gets its own attached copy)
# and an index of one partition alone; dev: the parent's index on other columns, the unique
# one missing, the partition's own index missing.
PART_PRD = PARTITIONED + """
CREATE INDEX meas_region ON meas (region);
CREATE UNIQUE INDEX meas_uq ON meas (id, ts);
CREATE INDEX meas_2025_ts ON meas_2025 (ts);
"""
PART_DEV = PARTITIONED + """
CREATE INDEX meas_region ON meas (region, ts);
"""


def test_partition_indexes_attached_to_the_parent_follow_it(postgres):
    prd, dev = pg_pair(postgres, PART_PRD, PART_DEV)
    snap = open_source(postgres.url(prd), "prd")
    # The partitions' copies of the parent's indexes are not indexes of their own: their
    # names are generated, and creating or dropping the parent's index makes or drops them.
    assert set(snap.tables["meas"].indexes) == {"meas_region", "meas_uq"}
    assert set(snap.tables["meas_2024"].indexes) == set()
    assert set(snap.tables["meas_2025"].indexes) == {"meas_2025_ts"}
    assert {(kind, table, index) for kind, table, index, _ in finding_set(postgres, prd, dev)} \
        == {("changed", "meas", "meas_region"), ("missing", "meas", "meas_uq"),
            ("missing", "meas_2025", "meas_2025_ts")}


@pytest.mark.parametrize("online", [True, False])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_partitioned_table_migration_round_trips(postgres, tmp_path, layout, online):
    prd, dev = pg_pair(postgres, PART_PRD, PART_DEV)
    original, before = finding_set(postgres, prd, dev), index_state(postgres, dev)
    migrate_files(postgres, prd, dev, tmp_path, layout, online=online)
    assert_round_trip(postgres, prd, dev, tmp_path, layout, original, before)


DEFER_TABLE = ("CREATE TABLE acct (id int NOT NULL, code text, room int, during tsrange);\n"
               "CREATE EXTENSION IF NOT EXISTS btree_gist;\n")
# The same constraints, deferrable or not: a deferred UNIQUE check lets a transaction swap
# two codes, an immediate one fails it, so this is drift a team must see.
DEFER_PRD = DEFER_TABLE + """
ALTER TABLE acct ADD CONSTRAINT acct_pk PRIMARY KEY (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE acct ADD CONSTRAINT uq_code UNIQUE (code) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE acct ADD CONSTRAINT ex_room EXCLUDE USING gist (room WITH =, during WITH &&)
    DEFERRABLE;
ALTER TABLE acct ADD CONSTRAINT uq_room UNIQUE (room, code);
"""
DEFER_DEV = DEFER_TABLE + """
ALTER TABLE acct ADD CONSTRAINT acct_pk PRIMARY KEY (id);
ALTER TABLE acct ADD CONSTRAINT uq_code UNIQUE (code) DEFERRABLE;
ALTER TABLE acct ADD CONSTRAINT ex_room EXCLUDE USING gist (room WITH =, during WITH &&);
ALTER TABLE acct ADD CONSTRAINT uq_room UNIQUE (room, code) DEFERRABLE INITIALLY DEFERRED;
INSERT INTO acct VALUES (1, 'a', 1, '[2024-01-01,2024-01-02)');
"""


def test_deferrable_constraints_are_compared(postgres):
    prd, dev = pg_pair(postgres, DEFER_PRD, DEFER_DEV)
    snap = open_source(postgres.url(prd), "prd")
    acct = snap.tables["acct"].indexes
    assert {k: acct[k].deferrable for k in acct} == {
        "acct_pk": "DEFERRED", "uq_code": "DEFERRED", "ex_room": "IMMEDIATE", "uq_room": None}
    assert acct["uq_code"].definition() == "UNIQUE CONSTRAINT (code) DEFERRABLE INITIALLY DEFERRED"
    assert finding_set(postgres, prd, dev) == {
        ("changed", "acct", name, ("deferrable",))
        for name in ("acct_pk", "uq_code", "ex_room", "uq_room")}


@pytest.mark.parametrize("online", [True, False])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_deferrable_constraint_migration_round_trips(postgres, tmp_path, layout, online):
    prd, dev = pg_pair(postgres, DEFER_PRD, DEFER_DEV)
    original, before = finding_set(postgres, prd, dev), index_state(postgres, dev)
    migrate_files(postgres, prd, dev, tmp_path, layout, online=online)
    assert_round_trip(postgres, prd, dev, tmp_path, layout, original, before)


def assert_export_and_snapshot_keep(postgres, tmp_path, sql: str, table: str) -> str:
    """A database made by ``sql`` reads back from its catalog CSV (export) and from its
    snapshot with ``table``'s indexes unchanged and no drift; returns the CSV text."""
    db = postgres.create_db("x")
    postgres.run(db, sql)
    live = open_source(postgres.url(db), "x")
    csv_path, json_path = tmp_path / "x.csv", tmp_path / "x.json"
    result = CliRunner().invoke(cli, ["export", f"x={postgres.url(db)}", "-o", str(csv_path)])
    assert result.exit_code == 0, result.output
    save_snapshot(live, str(json_path))
    for back in (open_source(str(csv_path), "x"), load_snapshot(str(json_path))):
        assert {k: ix.full_key() for k, ix in back.tables[table].indexes.items()} == \
            {k: ix.full_key() for k, ix in live.tables[table].indexes.items()}
        assert compare({"live": live, "back": back}, "live").findings == []
    return csv_path.read_text()


def test_deferrable_survives_export_and_snapshot(postgres, tmp_path):
    assert_export_and_snapshot_keep(postgres, tmp_path, DEFER_PRD, "acct")


STORAGE_TABLE = ("CREATE EXTENSION IF NOT EXISTS btree_gist;\n"
                 "CREATE TABLE ev (id int NOT NULL, ts timestamptz, tags text[], code text,"
                 " body text);\n")
# The same indexes with other storage parameters (WITH (...)): a BRIN index summarising 32
# pages per range answers range scans differently from one of 128, a btree at fillfactor 70
# leaves room for updates; a team must see that drift. ev_same matches, ev_ts2 is renamed.
STORAGE_PRD = STORAGE_TABLE + """
CREATE INDEX ev_ts_brin ON ev USING brin (ts) WITH (pages_per_range=32, autosummarize=on);
CREATE INDEX ev_code ON ev (code) WITH (fillfactor=70) WHERE code IS NOT NULL;
CREATE INDEX ev_tags ON ev USING gin (tags) WITH (fastupdate=off);
CREATE INDEX ev_same ON ev (body) WITH (fillfactor=90);
CREATE INDEX ev_ts2 ON ev (ts) WITH (fillfactor=60);
ALTER TABLE ev ADD CONSTRAINT ev_pk PRIMARY KEY (id) WITH (fillfactor=80);
ALTER TABLE ev ADD CONSTRAINT ev_ex EXCLUDE USING gist (code WITH =) WITH (buffering=on);
"""
STORAGE_DEV = STORAGE_TABLE + """
CREATE INDEX ev_ts_brin ON ev USING brin (ts) WITH (pages_per_range=128, autosummarize=on);
CREATE INDEX ev_code ON ev (code) WHERE code IS NOT NULL;
CREATE INDEX ev_tags ON ev USING gin (tags);
CREATE INDEX ev_same ON ev (body) WITH (fillfactor=90);
CREATE INDEX ev_ts_old ON ev (ts) WITH (fillfactor=60);
ALTER TABLE ev ADD CONSTRAINT ev_pk PRIMARY KEY (id);
ALTER TABLE ev ADD CONSTRAINT ev_ex EXCLUDE USING gist (code WITH =) WITH (buffering=off);
INSERT INTO ev VALUES (1, '2024-01-01', '{a}', 'x', 'b'), (2, '2024-01-02', '{b}', 'y', 'c');
"""
STORAGE_CHANGED = {("changed", "ev", name, ("storage",))
                   for name in ("ev_ts_brin", "ev_code", "ev_tags", "ev_pk", "ev_ex")}


def test_index_storage_parameters_are_compared(postgres):
    prd, dev = pg_pair(postgres, STORAGE_PRD, STORAGE_DEV)
    ev = open_source(postgres.url(prd), "prd").tables["ev"].indexes
    assert ev["ev_ts_brin"].storage == (("autosummarize", "on"), ("pages_per_range", "32"))
    assert ev["ev_ts_brin"].definition() == \
        "(ts) USING BRIN WITH (autosummarize=on, pages_per_range=32)"
    assert ev["ev_code"].definition() == "(code) WITH (fillfactor=70) WHERE code IS NOT NULL"
    assert open_source(postgres.url(dev), "dev").tables["ev"].indexes["ev_code"].storage == ()
    assert finding_set(postgres, prd, dev) == STORAGE_CHANGED | {
        ("renamed", "ev", "ev_ts2", ("name",))}
    assert finding_set(postgres, prd, prd) == set()


@pytest.mark.parametrize("online", [True, False])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_storage_parameter_migration_round_trips(postgres, tmp_path, layout, online):
    prd, dev = pg_pair(postgres, STORAGE_PRD, STORAGE_DEV)
    original, before = finding_set(postgres, prd, dev), index_state(postgres, dev)
    migrate_files(postgres, prd, dev, tmp_path, layout, online=online)
    assert_round_trip(postgres, prd, dev, tmp_path, layout, original, before)


def test_storage_parameters_survive_export_and_snapshot(postgres, tmp_path):
    csv_text = assert_export_and_snapshot_keep(postgres, tmp_path, STORAGE_PRD, "ev")
    assert "autosummarize=on, pages_per_range=32" in csv_text


def test_older_files_without_storage_read_it_as_unknown(postgres, tmp_path):
    prd, dev = pg_pair(postgres, STORAGE_PRD, STORAGE_DEV)
    csv_path, json_path = tmp_path / "prd.csv", tmp_path / "prd.json"
    result = CliRunner().invoke(cli, ["export", f"prd={postgres.url(prd)}", "-o", str(csv_path)])
    assert result.exit_code == 0, result.output
    # The file as an older indexdrift wrote it: no STORAGE column.
    rows = list(csv.reader(io.StringIO(csv_path.read_text())))
    at = rows[0].index("STORAGE")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(row[:at] + row[at + 1:] for row in rows)
    csv_path.write_text(out.getvalue())
    save_snapshot(open_source(postgres.url(prd), "prd"), str(json_path))
    data = json.loads(json_path.read_text())
    for table in data["tables"]:
        for index in table["indexes"]:
            del index["storage"]
    json_path.write_text(json.dumps(data))
    dev_snap = open_source(postgres.url(dev), "dev")
    for old in (open_source(str(csv_path), "prd"), load_snapshot(str(json_path))):
        assert {ix.storage for ix in old.tables["ev"].indexes.values()} == {None}
        # Unknown storage parameters are not drift, either way round; the rename is
        # still recognised, and the other differences remain.
        for snaps, base in (({"prd": old, "dev": dev_snap}, "prd"),
                            ({"dev": dev_snap, "prd": old}, "dev")):
            found = {(f.kind, f.index, tuple(f.changes))
                     for f in compare(snaps, base).findings}
            assert found == {("renamed", "ev_ts2" if base == "prd" else "ev_ts_old",
                              ("name",))}


# A schema name may hold a line break; golang-migrate's later files repeat the header's
# target line (with the schema) and must keep every piece of it inside the comment.
ODD_SCHEMA = "app\n; DROP TABLE t; --"
ODD_SQL = 'CREATE SCHEMA "app\n; DROP TABLE t; --"; SET search_path TO "app\n; DROP TABLE t; --";' \
    "CREATE TABLE t (id int PRIMARY KEY, a int, b int);"


def test_schema_name_with_a_line_break_stays_in_golang_migrate_comments(postgres, tmp_path):
    from urllib.parse import quote

    prd, dev = pg_pair(postgres, ODD_SQL + "CREATE INDEX ix_a ON t (a); "
                       "CREATE INDEX ix_b ON t (b);", ODD_SQL)
    schema = quote(ODD_SCHEMA, safe="")
    result = CliRunner().invoke(cli, [
        "migrate", f"prd={postgres.url(prd, schema)}", f"dev={postgres.url(dev, schema)}",
        "--out", str(tmp_path), "--layout", "golang-migrate", "--version", "1"])
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "dev").iterdir())
    assert len(files) >= 4  # two CONCURRENTLY builds: a version each, up and down
    # Were a piece of the name outside its comment, running the files would fail on it
    # (or drop the table); in SQL it only appears inside quoted identifiers.
    url = postgres.url(dev, schema)
    apply_layout(tmp_path, "golang-migrate", dev, "up")
    assert open_source(url, "dev").tables["t"].indexes.keys() == {"t_pkey", "ix_a", "ix_b"}
    apply_layout(tmp_path, "golang-migrate", dev, "down")
    assert open_source(url, "dev").tables["t"].indexes.keys() == {"t_pkey"}
