"""PostgreSQL, online: a changed non-unique index is built CONCURRENTLY under a temporary
name first and then swapped in (``DROP INDEX`` + ``ALTER INDEX ... RENAME``, one
transaction in the plain layout), like a unique one: queries never lose the index, and a
failed build leaves the original untouched. ``--online off`` keeps DROP + CREATE."""

from __future__ import annotations

import re

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

TABLE = "CREATE TABLE t (id int PRIMARY KEY, a text, b int, c int);\n"
# 63 bytes, the longest name PostgreSQL keeps: the temporary name must still fit.
LONG = "ix_" + "나" * 20

# column order, predicate, opclass, INCLUDE + comment, access method, a 63-byte name, and a
# UNIQUE constraint in dev that prd has as a plain index (its rollback builds the
# constraint's index first and attaches it with USING INDEX).
PRD = TABLE + f"""
CREATE INDEX ix_order ON t (c, b);
CREATE INDEX ix_pred ON t (b) WHERE b > 0;
CREATE INDEX ix_ops ON t (a text_pattern_ops);
CREATE INDEX ix_inc ON t (b) INCLUDE (c);
COMMENT ON INDEX ix_inc IS 'covering';
CREATE INDEX ix_hash ON t USING hash (b);
CREATE INDEX "{LONG}" ON t (a, b);
CREATE INDEX uq_bc ON t (b, c);
"""
DEV = TABLE + f"""
CREATE INDEX ix_order ON t (b, c);
CREATE INDEX ix_pred ON t (b);
CREATE INDEX ix_ops ON t (a);
CREATE INDEX ix_inc ON t (b);
CREATE INDEX ix_hash ON t (b);
CREATE INDEX "{LONG}" ON t (a);
ALTER TABLE t ADD CONSTRAINT uq_bc UNIQUE (b, c);
INSERT INTO t VALUES (1, 'x', 1, 1), (2, 'y', 2, 2);
"""
NAMES = {"ix_order", "ix_pred", "ix_ops", "ix_inc", "ix_hash", LONG, "uq_bc"}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_non_unique_changes_build_first_and_round_trip_every_layout(postgres, tmp_path,
                                                                      layout):
    assert len(LONG.encode()) == 63 and len(build_name(LONG).encode()) <= 63
    prd, dev = pg_pair(postgres, PRD, DEV)
    original = finding_set(postgres, prd, dev)
    assert {index for kind, _, index, _ in original if kind == "changed"} == NAMES
    before = index_state(postgres, dev)
    migrate_files(postgres, prd, dev, tmp_path, layout)
    text = "\n".join(p.read_text() for p in tmp_path.rglob("*.sql"))
    for name in NAMES - {"uq_bc"}:
        # built first in the script and in its rollback; the original is never dropped
        # concurrently (that would leave the table without it until the new one is built)
        # (golang-migrate: the down of the swap's version undoes that version alone, so
        # it builds the original again in its transaction, tests/test_golang_migrate_versions)
        builds = 1 if layout == "golang-migrate" else 2
        assert text.count(f'CREATE INDEX CONCURRENTLY "{build_name(name)}"') == builds, name
        assert f'DROP INDEX CONCURRENTLY "public"."{name}"' not in text, name
        assert (f'ALTER INDEX "public"."{build_name(name)}" RENAME TO "{name}";') in text
    assert 'CREATE INDEX CONCURRENTLY "uq_bc_indexdrift_new" ON "public"."t" ("b", "c");' \
        in text
    if layout == "golang-migrate":  # the down of the drop's version gives the key back
        assert 'ALTER TABLE "public"."t" ADD CONSTRAINT "uq_bc" UNIQUE ("b", "c");' in text
    else:
        assert 'ADD CONSTRAINT "uq_bc" UNIQUE USING INDEX "uq_bc_indexdrift_new";' in text
    assert_round_trip(postgres, prd, dev, tmp_path, layout, original, before)


def test_plain_layout_swaps_in_one_transaction_and_offline_keeps_drop_create(postgres,
                                                                              tmp_path):
    prd, dev = pg_pair(postgres, TABLE + "CREATE INDEX ix ON t (c, b);",
                       TABLE + "CREATE INDEX ix ON t (b, c);")
    migrate_files(postgres, prd, dev, tmp_path / "on", "plain")
    up = (tmp_path / "on" / "dev.sql").read_text()
    build = up.index('CREATE INDEX CONCURRENTLY "ix_indexdrift_new" ON "public"."t" ("c", "b");')
    assert build < up.index('BEGIN;\n\nDROP INDEX "public"."ix";\n\nALTER INDEX '
                            '"public"."ix_indexdrift_new" RENAME TO "ix";\n\nCOMMIT;')
    assert "PRE-CHECK" not in up  # nothing a non-unique build can fail on in the rows
    assert "ix is built first under the temporary name ix_indexdrift_new" in up
    migrate_files(postgres, prd, dev, tmp_path / "off", "plain", online=False)
    off = (tmp_path / "off" / "dev.sql").read_text()
    assert "CONCURRENTLY" not in off and "indexdrift_new" not in off
    assert off.index('DROP INDEX "public"."ix";') \
        < off.index('CREATE INDEX "ix" ON "public"."t" ("c", "b");')
    original = finding_set(postgres, prd, dev)
    before = index_state(postgres, dev)
    assert_round_trip(postgres, prd, dev, tmp_path / "off", "plain", original, before)


def test_failed_build_keeps_the_original_and_the_note_says_how_to_clean_up(postgres,
                                                                             tmp_path):
    # prd's rows never divide by zero; dev has a row with c = 0, so its build fails
    prd, dev = pg_pair(postgres, TABLE + "CREATE INDEX ix ON t ((100 / c));",
                       TABLE + "CREATE INDEX ix ON t (c);"
                       "INSERT INTO t VALUES (1, 'x', 1, 0), (2, 'y', 2, 5);")
    original = finding_set(postgres, prd, dev)
    assert original == {("changed", "t", "ix", ("columns",))}
    before = index_state(postgres, dev)
    migrate_files(postgres, prd, dev, tmp_path, "plain")
    up = (tmp_path / "dev.sql").read_text()
    assert "division by zero" in psql_error(dev, up)
    after = index_state(postgres, dev)
    assert after["t"].pop("ix_indexdrift_new")[-1] is False  # INVALID (validity is last)
    assert after == before  # the original is untouched
    note = re.search(r"^-- ix is built first under the temporary name ix_indexdrift_new .*"
                     r"drop the INVALID ix_indexdrift_new \((DROP INDEX CONCURRENTLY "
                     r'"public"\."ix_indexdrift_new";)\), then write the migration again '
                     r"from the env as it is now", up, re.M)
    assert note is not None, up
    psql(dev, note.group(1))
    assert index_state(postgres, dev) == before
    # Fixed rows: the same script converges; the rollback restores the original exactly.
    postgres.run(dev, "UPDATE t SET c = 1 WHERE id = 1;")
    psql(dev, up)
    assert finding_set(postgres, prd, dev) == set()
    psql(dev, (tmp_path / "dev.rollback.sql").read_text())
    assert finding_set(postgres, prd, dev) == original
    assert index_state(postgres, dev) == before
