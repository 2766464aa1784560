"""PostgreSQL edge cases a DBA meets in real schemas, end to end on the real server: read,
compare, write each layout's migration, apply it, compare again, roll back."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from postgres_apply import (
    assert_round_trip,
    finding_set,
    index_state,
    migrate_files,
    pg_pair,
)

from indexdrift.cli import cli
from indexdrift.compare import compare
from indexdrift.migrate.layouts import LAYOUTS
from indexdrift.snapshot import load_snapshot, save_snapshot
from indexdrift.sources import open_source

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


def test_deferrable_survives_export_and_snapshot(postgres, tmp_path):
    db = postgres.create_db("x")
    postgres.run(db, DEFER_PRD)
    live = open_source(postgres.url(db), "x")
    csv_path, json_path = tmp_path / "x.csv", tmp_path / "x.json"
    result = CliRunner().invoke(cli, ["export", f"x={postgres.url(db)}", "-o", str(csv_path)])
    assert result.exit_code == 0, result.output
    save_snapshot(live, str(json_path))
    for back in (open_source(str(csv_path), "x"), load_snapshot(str(json_path))):
        assert {k: ix.full_key() for k, ix in back.tables["acct"].indexes.items()} == \
            {k: ix.full_key() for k, ix in live.tables["acct"].indexes.items()}
        assert compare({"live": live, "back": back}, "live").findings == []
