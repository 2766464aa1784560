"""Migrations on the real PostgreSQL: up converges to zero drift, down restores exactly.

Scripts run the way each layout's tool runs them (tests/postgres_apply.py).
"""

from __future__ import annotations

import psycopg
import pytest
from postgres_apply import (
    assert_round_trip,
    finding_set,
    index_state,
    migrate_files,
    pg_pair,
    psql,
    simple_query,
)
from test_postgres_reader import make_invalid_index

from indexdrift.compare.tables import compare
from indexdrift.core.target import target_of
from indexdrift.ddl.layouts import LAYOUTS
from indexdrift.ddl.script import build_script
from indexdrift.plan.planner import PlanOptions, plan_env
from indexdrift.sources import open_source

pytestmark = pytest.mark.postgres

COMMON = ('CREATE TABLE t (id int, a varchar(20), b text, c int, r int4range, "회원명" text, '
          '"a""b" int);\n')

PRD = COMMON + """
ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY (id);
CREATE INDEX ix_partial ON t (c) WHERE c > 0;
CREATE INDEX ix_expr ON t (lower(b), (c + 1) DESC);
CREATE INDEX ix_include ON t (a) INCLUDE (b);
CREATE INDEX ix_opclass ON t (a varchar_pattern_ops);
ALTER TABLE t ADD CONSTRAINT uq_ab UNIQUE (a, b);
CREATE INDEX "idx_회원명" ON t ("회원명" COLLATE "C");
COMMENT ON INDEX "idx_회원명" IS 'it''s a "comment"';
CREATE INDEX ren ON t (b);
CREATE INDEX ix_nulls ON t (c DESC NULLS LAST);
CREATE INDEX ix_gist ON t USING gist (r);
CREATE UNIQUE INDEX ux_nnd ON t (c, a) NULLS NOT DISTINCT;
CREATE INDEX "we""ird" ON t ("a""b");
CREATE TABLE only_prd (x int);
CREATE TABLE same (id int PRIMARY KEY, v int);
CREATE INDEX same_v ON same (v);
"""

DEV = COMMON + """
ALTER TABLE t ADD PRIMARY KEY (id);
CREATE INDEX ix_partial ON t (c);
CREATE INDEX ix_include ON t (a);
CREATE INDEX ix_opclass ON t (a);
CREATE UNIQUE INDEX uq_ab ON t (a, b);
CREATE INDEX "idx_회원명" ON t ("회원명" COLLATE "C");
CREATE INDEX old_name ON t (b);
CREATE INDEX ix_nulls ON t (c DESC);
CREATE UNIQUE INDEX ux_nnd ON t (c, a);
CREATE INDEX extra_one ON t (c);
CREATE TABLE only_dev (x int);
CREATE TABLE same (id int PRIMARY KEY, v int);
CREATE INDEX same_v ON same (v);
INSERT INTO t (id, a, b, c) VALUES (1, 'x', 'y', 1), (2, 'x', 'z', 2);
"""


@pytest.mark.parametrize("layout", LAYOUTS)
def test_round_trip_every_layout(postgres, tmp_path, layout):
    prd, dev = pg_pair(postgres, PRD, DEV)
    original = finding_set(postgres, prd, dev)
    assert {k for k, *_ in original} == {"missing", "extra", "changed", "renamed",
                                         "table_missing", "table_extra"}
    before = index_state(postgres, dev)
    migrate_files(postgres, prd, dev, tmp_path, layout)
    assert_round_trip(postgres, prd, dev, tmp_path, layout, original, before,
                      tables_stay=True)


def test_round_trip_without_concurrently(postgres, tmp_path):
    prd, dev = pg_pair(postgres, PRD, DEV)
    original = finding_set(postgres, prd, dev)
    migrate_files(postgres, prd, dev, tmp_path, "plain", online=False)
    up = (tmp_path / "dev.sql").read_text()
    assert "CONCURRENTLY" not in up
    assert 'ADD CONSTRAINT "uq_ab" UNIQUE ("a", "b")' in up
    psql(dev, "BEGIN;\n" + up + "\nCOMMIT;")  # all of it can run in one transaction
    assert {f for f in finding_set(postgres, prd, dev) if not f[0].startswith("table")} == set()
    psql(dev, (tmp_path / "dev.rollback.sql").read_text())
    assert finding_set(postgres, prd, dev) == original


def test_script_shape(postgres, tmp_path):
    prd, dev = pg_pair(postgres, PRD, DEV)
    migrate_files(postgres, prd, dev, tmp_path, "plain")
    up = (tmp_path / "dev.sql").read_text()
    assert 'ALTER INDEX "public"."old_name" RENAME TO "ren";' in up
    assert 'ALTER INDEX "public"."t_pkey" RENAME TO "t_pk";' in up
    assert 'COMMENT ON INDEX "public"."idx_회원명" IS \'it\'\'s a "comment"\';' in up
    # a changed non-unique index is built first too, then swapped in one transaction
    assert ('CREATE INDEX CONCURRENTLY "ix_opclass_indexdrift_new" ON "public"."t" '
            '("a" varchar_pattern_ops);' in up)
    assert ('BEGIN;\n\nDROP INDEX "public"."ix_opclass";\n\nALTER INDEX '
            '"public"."ix_opclass_indexdrift_new" RENAME TO "ix_opclass";\n\nCOMMIT;') in up
    assert 'DROP INDEX CONCURRENTLY "public"."ix_opclass"' not in up
    assert ('CREATE INDEX CONCURRENTLY "we""ird" ON "public"."t" ("a""b");' in up)
    assert 'USING gist ("r")' in up
    # a plain unique index becoming a constraint: built first, swapped in one transaction
    assert ('BEGIN;\n\nDROP INDEX "public"."uq_ab";\n\nALTER TABLE "public"."t" ADD CONSTRAINT '
            '"uq_ab" UNIQUE USING INDEX "uq_ab_indexdrift_new";\n\nCOMMIT;') in up
    assert "PRE-CHECK for ux_nnd" in up
    for layout in ("flyway", "liquibase", "golang-migrate"):
        write_dir = tmp_path / layout
        migrate_files(postgres, prd, dev, write_dir, layout)
    flyway = sorted(p.name for p in (tmp_path / "flyway" / "dev").iterdir())
    assert "V7__indexdrift_dev.sql.conf" in flyway and "U7__indexdrift_dev.sql.conf" in flyway
    assert (tmp_path / "flyway" / "dev" / "V7__indexdrift_dev.sql.conf").read_text() == \
        "executeInTransaction=false\n"
    liquibase = next((tmp_path / "liquibase" / "dev").iterdir()).read_text()
    assert " runInTransaction:false" in liquibase
    gm = sorted((tmp_path / "golang-migrate" / "dev").iterdir())
    for path in gm:
        body = [line for line in path.read_text().splitlines()
                if line.endswith(";") and not line.startswith("--")]
        if any("CONCURRENTLY" in line for line in body):
            assert len(body) == 1, path.name  # CONCURRENTLY alone in its file


def test_golang_migrate_needs_one_statement_per_file(postgres):
    db = postgres.create_db("x")
    postgres.run(db, "CREATE TABLE t (a int, b int);")
    with pytest.raises(psycopg.errors.ActiveSqlTransaction):
        simple_query(db, "CREATE INDEX CONCURRENTLY i1 ON t (a);\n"
                         "CREATE INDEX CONCURRENTLY i2 ON t (b);")
    simple_query(db, "-- a comment\nCREATE INDEX CONCURRENTLY i1 ON t (a);\n")


def test_invalid_index_is_rebuilt_and_the_rollback_says_so(postgres, tmp_path):
    prd, dev = pg_pair(postgres, COMMON + "CREATE UNIQUE INDEX ux_c ON t (c);", COMMON)
    make_invalid_index(postgres, dev)
    assert finding_set(postgres, prd, dev) == {("changed", "t", "ux_c", ("validity",))}
    migrate_files(postgres, prd, dev, tmp_path, "plain")
    up = (tmp_path / "dev.sql").read_text()
    # the valid index is built first; the INVALID one is swapped out after it
    assert up.index('CREATE UNIQUE INDEX CONCURRENTLY "ux_c_indexdrift_new"') < up.index(
        'DROP INDEX "public"."ux_c";') < up.index(
        'ALTER INDEX "public"."ux_c_indexdrift_new" RENAME TO "ux_c";')
    postgres.run(dev, "DELETE FROM t WHERE id = -2;")  # what the PRE-CHECK asks for
    psql(dev, up)
    assert finding_set(postgres, prd, dev) == set()
    down = (tmp_path / "dev.rollback.sql").read_text()
    assert "ux_c is not re-created: it was INVALID" in down
    psql(dev, down)
    assert "ux_c" not in index_state(postgres, dev)["t"]


def test_invalid_baseline_index_is_not_copied(postgres, tmp_path):
    prd, dev = pg_pair(postgres, COMMON, COMMON)
    make_invalid_index(postgres, prd)
    migrate_files(postgres, prd, dev, tmp_path, "plain")
    up = (tmp_path / "dev.sql").read_text()
    assert "baseline's index is INVALID" in up and "CREATE UNIQUE" not in up


def test_exclusion_constraint_is_generated(postgres, tmp_path):
    # A range with && needs no extension (tests/test_postgres_constraints.py has the rest).
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, COMMON + "ALTER TABLE t ADD CONSTRAINT ex_r EXCLUDE USING gist (r WITH &&);")
    postgres.run(dev, COMMON)
    assert finding_set(postgres, prd, dev) == {("missing", "t", "ex_r", ())}
    migrate_files(postgres, prd, dev, tmp_path, "plain")
    up = (tmp_path / "dev.sql").read_text()
    assert 'ADD CONSTRAINT "ex_r" EXCLUDE USING gist ("r" WITH &&);' in up
    psql(dev, up)
    assert finding_set(postgres, prd, dev) == set()
    psql(dev, (tmp_path / "dev.rollback.sql").read_text())
    assert finding_set(postgres, prd, dev) == {("missing", "t", "ex_r", ())}


def test_schema_from_url_is_used_in_ddl(postgres, tmp_path):
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    for db, index in ((prd, "CREATE INDEX ix ON app.t (a DESC);"), (dev, "")):
        postgres.run(db, "CREATE SCHEMA app; CREATE TABLE app.t (id int PRIMARY KEY, a int);"
                     + index)
    snaps = {"prd": open_source(postgres.url(prd, "app"), "prd"),
             "dev": open_source(postgres.url(dev, "app"), "dev")}
    comparison = compare(snaps, "prd")
    opts = PlanOptions()
    script = build_script(plan_env(comparison, "dev", target_of("postgresql", "15"), opts),
                          comparison, opts)
    assert 'CREATE INDEX CONCURRENTLY "ix" ON "app"."t" ("a" DESC);' in script.up_text()
    psql(dev, script.up_text())
    assert compare({"prd": snaps["prd"], "dev": open_source(postgres.url(dev, "app"), "dev")},
                   "prd").findings == []

