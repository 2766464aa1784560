"""PostgreSQL, online: a changed plain unique index is built CONCURRENTLY under a temporary
name first and then swapped in (``DROP INDEX`` + ``ALTER INDEX ... RENAME``, one
transaction in the plain layout), so the table never lacks its unique index: when the
env's rows break the new definition the build fails, the original index still guards the
table, and the script's note names the INVALID temporary index and how to drop it."""

from __future__ import annotations

import re

import psycopg
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
from indexdrift.dialects.postgresql.ddl import build_name

pytestmark = pytest.mark.postgres

TABLE = "CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int);\n"
ROWS = "INSERT INTO t VALUES (1, 1, 1, 1), (2, 1, 1, 2);\n"  # duplicates in (a) and (b)
# 63 bytes, the longest name PostgreSQL keeps: the temporary name must still fit.
LONG = "ux_" + "가" * 20


def test_failed_build_keeps_the_unique_index_and_the_note_says_how_to_clean_up(
        postgres, tmp_path):
    prd, dev = pg_pair(postgres, TABLE + "CREATE UNIQUE INDEX ux ON t (a);",
                       TABLE + "CREATE UNIQUE INDEX ux ON t (a, c);" + ROWS)
    original = finding_set(postgres, prd, dev)
    assert original == {("changed", "t", "ux", ("columns",))}
    before = index_state(postgres, dev)
    migrate_files(postgres, prd, dev, tmp_path, "plain")
    up = (tmp_path / "dev.sql").read_text()
    assert up.index('CREATE UNIQUE INDEX CONCURRENTLY "ux_indexdrift_new" ON "public"."t"') \
        < up.index('BEGIN;\n\nDROP INDEX "public"."ux";\n\nALTER INDEX '
                   '"public"."ux_indexdrift_new" RENAME TO "ux";\n\nCOMMIT;')
    assert "could not create unique index" in psql_error(dev, up)
    after = index_state(postgres, dev)
    assert after["t"].pop("ux_indexdrift_new")[-1] is False  # INVALID (validity is last)
    assert after == before
    with pytest.raises(psycopg.errors.UniqueViolation):  # the old index still guards
        postgres.run(dev, "INSERT INTO t VALUES (3, 1, 1, 1);")
    # The note names the leftover and the statement that drops it; run that statement.
    note = re.search(r"^-- ux is built first under the temporary name ux_indexdrift_new .*"
                     r"drop the INVALID ux_indexdrift_new \((DROP INDEX CONCURRENTLY "
                     r'"public"\."ux_indexdrift_new";)\), fix the rows', up, re.M)
    assert note is not None, up
    psql(dev, note.group(1))
    assert index_state(postgres, dev) == before
    # Fixed rows: the same script converges; the rollback restores the original exactly.
    postgres.run(dev, "DELETE FROM t WHERE id = 2;")
    psql(dev, up)
    assert finding_set(postgres, prd, dev) == set()
    psql(dev, (tmp_path / "dev.rollback.sql").read_text())
    assert finding_set(postgres, prd, dev) == original
    assert index_state(postgres, dev) == before


# unique -> unique (with a comment and NULLS NOT DISTINCT), non-unique -> unique,
# unique -> non-unique (the rollback builds the unique one first), plain unique index ->
# UNIQUE constraint, and a 63-byte name.
PRD = TABLE + f"""
CREATE UNIQUE INDEX ux_a ON t (a, c) NULLS NOT DISTINCT;
COMMENT ON INDEX ux_a IS 'unique a';
CREATE UNIQUE INDEX ix_b ON t (b);
CREATE INDEX ux_c ON t (c);
ALTER TABLE t ADD CONSTRAINT uq_bc UNIQUE (b, c);
CREATE UNIQUE INDEX "{LONG}" ON t (c, a);
"""
DEV = TABLE + f"""
CREATE UNIQUE INDEX ux_a ON t (a);
CREATE INDEX ix_b ON t (b);
CREATE UNIQUE INDEX ux_c ON t (c);
CREATE UNIQUE INDEX uq_bc ON t (b, c);
CREATE UNIQUE INDEX "{LONG}" ON t (c);
INSERT INTO t VALUES (1, 1, 1, 1), (2, 2, 2, 2);
"""


@pytest.mark.parametrize("layout", LAYOUTS)
def test_build_first_swaps_round_trip_every_layout(postgres, tmp_path, layout):
    assert len(LONG.encode()) == 63 and len(build_name(LONG).encode()) <= 63
    prd, dev = pg_pair(postgres, PRD, DEV)
    original = finding_set(postgres, prd, dev)
    assert {index for _, _, index, _ in original} == {"ux_a", "ix_b", "ux_c", "uq_bc", LONG}
    before = index_state(postgres, dev)
    migrate_files(postgres, prd, dev, tmp_path, layout)
    text = "\n".join(p.read_text() for p in tmp_path.rglob("*.sql"))
    # every build of a unique index goes first (ux_c's in the rollback); so does the
    # non-unique one (tests/test_postgres_plain_swap.py)
    # (golang-migrate: the down of ux_c's swap undoes that version alone: it builds the
    # unique ux_c again in its transaction, tests/test_golang_migrate_versions.py)
    for name in ("ux_a", "ix_b", "ux_c", "uq_bc", LONG):
        if name == "ux_c" and layout == "golang-migrate":
            assert 'CREATE UNIQUE INDEX "ux_c" ON "public"."t" ("c");' in text
            continue
        assert f'CREATE UNIQUE INDEX CONCURRENTLY "{build_name(name)}"' in text, name
    assert 'CREATE INDEX CONCURRENTLY "ux_c_indexdrift_new" ON "public"."t" ("c");' in text
    assert_round_trip(postgres, prd, dev, tmp_path, layout, original, before)
