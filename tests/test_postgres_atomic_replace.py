"""PostgreSQL: a changed PRIMARY KEY / UNIQUE / EXCLUDE constraint (or, without
CONCURRENTLY, a unique index) is replaced atomically by the plain script, so when rows in
the env violate the new definition the script stops and the old one is still in place.
Run with the real psql (ON_ERROR_STOP) on the real server; then, once the rows are fixed,
the same script converges and its rollback restores the env."""

from __future__ import annotations

import pytest
from postgres_apply import (
    assert_round_trip,
    finding_set,
    index_state,
    migrate_files,
    pg_pair,
    psql,
    psql_error,
)

from indexdrift.ddl.layouts import LAYOUTS

pytestmark = pytest.mark.postgres

COMMON = """
CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int, during tsrange, r int4range);
"""

# name -> (prd definition, dev definition, what dev's rows break in prd's definition)
CASES = {
    "exclude": ("ALTER TABLE t ADD CONSTRAINT ck EXCLUDE USING gist (during WITH &&);",
                "ALTER TABLE t ADD CONSTRAINT ck EXCLUDE USING gist (r WITH &&);",
                "could not create exclusion constraint"),
    "unique": ("ALTER TABLE t ADD CONSTRAINT ck UNIQUE (a);",
               "ALTER TABLE t ADD CONSTRAINT ck UNIQUE (a, c);",
               "could not create unique index"),
    "unique_index": ("CREATE UNIQUE INDEX ck ON t (b);",
                     "CREATE UNIQUE INDEX ck ON t (b, c);",
                     "could not create unique index"),
}

ROWS = """
INSERT INTO t VALUES (1, 1, 1, 1, '[2026-01-01, 2026-01-03)', '[1, 2)'),
                     (2, 1, 1, 2, '[2026-01-02, 2026-01-04)', '[3, 4)');
"""


# Online, a unique index (constraint or not) is built under a temporary name first.
@pytest.mark.parametrize(("case", "online"), [
    ("exclude", True), ("exclude", False), ("unique", True), ("unique", False),
    ("unique_index", True), ("unique_index", False)])
def test_failed_replacement_keeps_the_original(postgres, tmp_path, case, online):
    base, mine, error = CASES[case]
    prd, dev = pg_pair(postgres, COMMON + base, COMMON + mine + ROWS)
    original = finding_set(postgres, prd, dev)
    assert {(kind, index) for kind, _, index, _ in original} == {("changed", "ck")}
    before = index_state(postgres, dev)
    migrate_files(postgres, prd, dev, tmp_path, "plain", online=online)
    up = (tmp_path / "dev.sql").read_text()
    assert error in psql_error(dev, up)
    after = index_state(postgres, dev)
    temporary = "ck_indexdrift_new"
    if case != "exclude" and online:
        # The concurrent build failed before the swap: it leaves its INVALID index (the
        # pre-check note says so) next to the untouched constraint.
        assert after["t"].pop(temporary)[-1] is False  # full_key ends with validity
        assert 'CREATE UNIQUE INDEX CONCURRENTLY "ck_indexdrift_new"' in up
        postgres.run(dev, f'DROP INDEX "{temporary}";')
    assert after == before
    assert finding_set(postgres, prd, dev) == original
    # Once the rows fit the new definition, the same script converges and rolls back.
    postgres.run(dev, "DELETE FROM t WHERE id = 2;")
    psql(dev, up)
    assert finding_set(postgres, prd, dev) == set()
    psql(dev, (tmp_path / "dev.rollback.sql").read_text())
    assert finding_set(postgres, prd, dev) == original
    assert index_state(postgres, dev) == before


def test_statement_shapes(postgres, tmp_path):
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, COMMON + CASES["unique"][0] + CASES["exclude"][0].replace("ck", "ex")
                 + CASES["unique_index"][0].replace("ck", "ux"))
    postgres.run(dev, COMMON + CASES["unique"][1] + CASES["exclude"][1].replace("ck", "ex")
                 + CASES["unique_index"][1].replace("ck", "ux"))
    online, offline = tmp_path / "on", tmp_path / "off"
    migrate_files(postgres, prd, dev, online, "plain")
    migrate_files(postgres, prd, dev, offline, "plain", online=False)
    up = (online / "dev.sql").read_text()
    assert ('ALTER TABLE "public"."t" DROP CONSTRAINT "ck", ADD CONSTRAINT "ck" UNIQUE USING '
            'INDEX "ck_indexdrift_new";') in up
    assert ('ALTER TABLE "public"."t" DROP CONSTRAINT "ex", ADD CONSTRAINT "ex" EXCLUDE USING '
            'gist ("during" WITH &&);') in up
    # the plain unique index is built first, then swapped in one transaction
    assert ('BEGIN;\n\nDROP INDEX "public"."ux";\n\nALTER INDEX "public"."ux_indexdrift_new" '
            'RENAME TO "ux";\n\nCOMMIT;') in up
    assert up.count("BEGIN;") == 1  # the constraint swaps are one statement each
    off = (offline / "dev.sql").read_text()
    assert ('ALTER TABLE "public"."t" DROP CONSTRAINT "ck", ADD CONSTRAINT "ck" UNIQUE ("a");'
            in off)
    assert ('BEGIN;\n\nDROP INDEX "public"."ux";\n\n-- PRE-CHECK for ux' in off
            and 'CREATE UNIQUE INDEX "ux" ON "public"."t" ("b");\n\nCOMMIT;' in off)
    # The tools' layouts run a script in their own transaction: no BEGIN of ours there.
    migrate_files(postgres, prd, dev, tmp_path / "fw", "flyway", online=False)
    assert "BEGIN;" not in next((tmp_path / "fw" / "dev").glob("V*.sql")).read_text()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_swaps_round_trip_every_layout(postgres, tmp_path, layout):
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, COMMON + CASES["unique"][0] + CASES["exclude"][0].replace("ck", "ex")
                 + "ALTER TABLE t DROP CONSTRAINT t_pkey;"
                 "ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (id, a);")
    postgres.run(dev, COMMON + CASES["unique"][1] + CASES["exclude"][1].replace("ck", "ex")
                 + "INSERT INTO t VALUES (1, 1, 1, 1, '[2026-01-01, 2026-01-02)', '[1, 2)');")
    original = finding_set(postgres, prd, dev)
    assert original == {("changed", "t", "ck", ("columns",)),
                        ("changed", "t", "ex", ("columns",)),
                        ("changed", "t", "t_pkey", ("columns",))}
    before = index_state(postgres, dev)
    migrate_files(postgres, prd, dev, tmp_path, layout)
    assert_round_trip(postgres, prd, dev, tmp_path, layout, original, before)
