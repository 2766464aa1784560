"""PostgreSQL edge cases a DBA meets in real schemas, end to end on the real server: read,
compare, write each layout's migration, apply it, compare again, roll back."""

from __future__ import annotations

import pytest
from postgres_apply import (
    assert_round_trip,
    finding_set,
    index_state,
    migrate_files,
    pg_pair,
)

from indexdrift.migrate.layouts import LAYOUTS
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
