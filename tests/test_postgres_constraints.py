"""PostgreSQL on the real server: EXCLUDE constraints (operators read, compared, generated),
indexes that foreign keys depend on (refused), and case-sensitive index names."""

from __future__ import annotations

import csv
import io
import os

import pytest
from click.testing import CliRunner
from postgres_apply import (
    assert_round_trip,
    finding_set,
    index_state,
    migrate_files,
    pg_pair,
    psql,
    psql_error,
)

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.core.i18n import Catalog
from indexdrift.core.target import target_of
from indexdrift.ddl.layouts import LAYOUTS
from indexdrift.ddl.script import build_script
from indexdrift.plan.planner import PlanOptions, plan_env
from indexdrift.report.matrix import build_matrix
from indexdrift.sources import open_source
from indexdrift.sources.snapshot import load_snapshot, save_snapshot

pytestmark = pytest.mark.postgres

# Operators that need no extension (ranges, geometry, btree =); btree_gist has its own test.
ROOMS = """
CREATE TABLE booking (id int PRIMARY KEY, room int, during tsrange, b box, c circle,
                      r int4range);
"""

EX_PRD = ROOMS + """
ALTER TABLE booking ADD CONSTRAINT ex_room
  EXCLUDE USING gist (r WITH &&, during WITH &&) WHERE (id > 0);
ALTER TABLE booking ADD CONSTRAINT ex_eq EXCLUDE USING btree (room WITH =);
ALTER TABLE booking ADD CONSTRAINT ex_box EXCLUDE USING gist (b WITH &&);
ALTER TABLE booking ADD CONSTRAINT ex_ren EXCLUDE USING gist (c WITH &&);
COMMENT ON INDEX ex_ren IS 'no two circles overlap';
"""

EX_DEV = ROOMS + """
ALTER TABLE booking ADD CONSTRAINT ex_box EXCLUDE USING gist (b WITH ~=);
ALTER TABLE booking ADD CONSTRAINT old_ex EXCLUDE USING gist (c WITH &&);
COMMENT ON INDEX old_ex IS 'no two circles overlap';
ALTER TABLE booking ADD CONSTRAINT ex_extra EXCLUDE USING gist (during WITH &&);
INSERT INTO booking VALUES
  (1, 101, '[2026-01-01 10:00, 2026-01-01 11:00)', '((0,0),(1,1))', '<(0,0),1>', '[1,5)'),
  (2, 102, '[2026-01-01 11:00, 2026-01-01 12:00)', '((2,2),(3,3))', '<(5,5),1>', '[5,9)');
"""


def test_exclude_operators_are_read_and_shown(postgres):
    db = postgres.create_db("x")
    postgres.run(db, EX_PRD)
    ix = open_source(postgres.url(db), "x").tables["booking"].indexes
    room = ix["ex_room"]
    assert room.constraint == "x" and room.index_type == "GIST"
    assert [(p.column, p.operator) for p in room.parts] == [("r", "&&"), ("during", "&&")]
    assert room.definition() == "EXCLUDE USING gist (r WITH &&, during WITH &&) WHERE id > 0"
    assert ix["ex_eq"].definition() == "EXCLUDE USING btree (room WITH =)"
    assert ix["booking_pkey"].parts[0].operator is None  # only EXCLUDE parts have one


def test_changed_operator_is_a_finding(postgres):
    prd, dev = pg_pair(postgres, EX_PRD, EX_DEV)
    assert finding_set(postgres, prd, dev) == {
        ("missing", "booking", "ex_room", ()),
        ("missing", "booking", "ex_eq", ()),
        ("changed", "booking", "ex_box", ("operator",)),
        ("renamed", "booking", "ex_ren", ("name",)),
        ("extra", "booking", "ex_extra", ()),
    }


def test_exclude_statements(postgres, tmp_path):
    prd, dev = pg_pair(postgres, EX_PRD, EX_DEV)
    migrate_files(postgres, prd, dev, tmp_path, "plain")
    up = (tmp_path / "dev.sql").read_text()
    down = (tmp_path / "dev.rollback.sql").read_text()
    assert ('ALTER TABLE "public"."booking" ADD CONSTRAINT "ex_room" EXCLUDE USING gist '
            '("r" WITH &&, "during" WITH &&) WHERE (id > 0);') in up
    assert '"ex_eq" EXCLUDE USING btree ("room" WITH =);' in up
    # The changed constraint is replaced in one statement: it cannot be left without one.
    assert ('ALTER TABLE "public"."booking" DROP CONSTRAINT "ex_box", ADD CONSTRAINT "ex_box" '
            'EXCLUDE USING gist ("b" WITH &&);') in up
    assert 'ALTER INDEX "public"."old_ex" RENAME TO "ex_ren";' in up
    assert "cannot be built CONCURRENTLY" in up
    assert '"ex_box" EXCLUDE USING gist ("b" WITH ~=);' in down
    assert '"ex_extra" EXCLUDE USING gist ("during" WITH &&);' in down
    # No concurrent statement: the whole migration can run in one transaction.
    assert "CONCURRENTLY" not in up.replace("cannot be built CONCURRENTLY", "")
    psql(dev, "BEGIN;\n" + up + "\nCOMMIT;")
    assert finding_set(postgres, prd, dev) == set()


@pytest.mark.parametrize("layout", LAYOUTS)
def test_exclude_round_trip_every_layout(postgres, tmp_path, layout):
    prd, dev = pg_pair(postgres, EX_PRD, EX_DEV)
    original = finding_set(postgres, prd, dev)
    before = index_state(postgres, dev)
    migrate_files(postgres, prd, dev, tmp_path, layout)
    assert_round_trip(postgres, prd, dev, tmp_path, layout, original, before)


def test_scalar_equality_through_btree_gist(postgres, tmp_path):
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    if not postgres.admin.execute("SELECT count(*) FROM pg_available_extensions "
                                  "WHERE name = 'btree_gist'").fetchone()[0]:
        message = "the btree_gist extension is not installed on this PostgreSQL server"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true and {message}")
        pytest.skip(message)
    for db in (prd, dev):
        postgres.run(db, "CREATE EXTENSION IF NOT EXISTS btree_gist;" + ROOMS)
    postgres.run(prd, "ALTER TABLE booking ADD CONSTRAINT ex_room EXCLUDE USING gist "
                      "(room WITH =, during WITH &&);")
    postgres.run(dev, "ALTER TABLE booking ADD CONSTRAINT ex_room EXCLUDE USING gist "
                      "(room WITH <>, during WITH &&);")
    assert finding_set(postgres, prd, dev) == {("changed", "booking", "ex_room", ("operator",))}
    migrate_files(postgres, prd, dev, tmp_path, "plain")
    up = (tmp_path / "dev.sql").read_text()
    assert '"ex_room" EXCLUDE USING gist ("room" WITH =, "during" WITH &&);' in up
    psql(dev, up)
    assert finding_set(postgres, prd, dev) == set()
    psql(dev, (tmp_path / "dev.rollback.sql").read_text())
    assert finding_set(postgres, prd, dev) == {("changed", "booking", "ex_room", ("operator",))}


FK_COMMON = """
CREATE TABLE parent (id int NOT NULL, code text, tag text);
CREATE TABLE child (id int PRIMARY KEY, parent_id int, parent_code text, parent_tag text);
"""

FK_PRD = FK_COMMON + """
ALTER TABLE parent ADD CONSTRAINT parent_pk PRIMARY KEY (id);
ALTER TABLE parent ADD CONSTRAINT uq_code UNIQUE (code);
CREATE INDEX ix_tag ON parent (tag);
"""

FK_DEV = FK_COMMON + """
ALTER TABLE parent ADD PRIMARY KEY (id);
CREATE UNIQUE INDEX uq_code ON parent (code);
CREATE UNIQUE INDEX ux_tag ON parent (tag);
CREATE SCHEMA other;
CREATE TABLE other.grandchild (id int PRIMARY KEY, parent_tag text);
ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id);
ALTER TABLE child ADD CONSTRAINT child_code_fk FOREIGN KEY (parent_code)
  REFERENCES parent (code);
ALTER TABLE child ADD CONSTRAINT child_tag_fk FOREIGN KEY (parent_tag) REFERENCES parent (tag);
ALTER TABLE other.grandchild ADD CONSTRAINT gc_tag_fk FOREIGN KEY (parent_tag)
  REFERENCES parent (tag);
"""


def test_foreign_key_dependents_are_read(postgres):
    db = postgres.create_db("dev")
    postgres.run(db, FK_DEV)
    parent = open_source(postgres.url(db), "x").tables["parent"]
    assert parent.referenced_by == {
        "parent_pkey": ("child.child_parent_fk",),
        "uq_code": ("child.child_code_fk",),
        "ux_tag": ("child.child_tag_fk", "other.grandchild.gc_tag_fk"),
    }


def test_drops_that_foreign_keys_depend_on_are_refused(postgres, tmp_path):
    prd, dev = pg_pair(postgres, FK_PRD, FK_DEV)
    original = finding_set(postgres, prd, dev)
    assert original == {
        ("renamed", "parent", "parent_pk", ("name",)),
        ("changed", "parent", "uq_code", ("constraint",)),
        ("missing", "parent", "ix_tag", ()),
        ("extra", "parent", "ux_tag", ()),
    }
    # What the refusal saves us from: the server will not drop such an index.
    assert "other objects depend on it" in psql_error(dev, "DROP INDEX uq_code")
    for online in (True, False):
        out = tmp_path / f"online_{online}"
        migrate_files(postgres, prd, dev, out, "plain", online=online)  # with --drop-extra
        up = (out / "dev.sql").read_text()
        assert ("-- changed uq_code: REFUSED: foreign key child.child_code_fk depend(s) on "
                "this index") in up
        assert ("-- extra ux_tag: REFUSED: foreign keys child.child_tag_fk, "
                "other.grandchild.gc_tag_fk depend(s) on this index") in up
        assert 'DROP INDEX CONCURRENTLY "public"."uq_code"' not in up
        assert 'DROP INDEX "public"."ux_tag"' not in up
        # A rename keeps the foreign key working: it is still generated.
        assert 'ALTER INDEX "public"."parent_pkey" RENAME TO "parent_pk";' in up
    psql(dev, up)
    assert finding_set(postgres, prd, dev) == {
        ("changed", "parent", "uq_code", ("constraint",)),
        ("extra", "parent", "ux_tag", ())}
    psql(dev, (out / "dev.rollback.sql").read_text())
    assert finding_set(postgres, prd, dev) == original


def test_refused_drop_without_drop_extra_says_refused(postgres):
    prd, dev = pg_pair(postgres, FK_PRD, FK_DEV)
    snaps = {"prd": open_source(postgres.url(prd), "prd"),
             "dev": open_source(postgres.url(dev), "dev")}
    comparison = compare(snaps, "prd")
    plan = plan_env(comparison, "dev", target_of("postgresql", "15"), PlanOptions())
    held = {h.step.index_name: h.why for t in plan.tables for h in t.held}
    assert held == {"uq_code": "fk_referenced", "ux_tag": "fk_referenced"}


def test_catalog_csv_and_snapshot_keep_operators_dependents_and_name_case(postgres, tmp_path):
    db = postgres.create_db("x")
    postgres.run(db, EX_PRD + FK_DEV + 'CREATE INDEX "Idx_a" ON parent (id);'
                 'CREATE INDEX idx_a ON parent (code);')
    live = open_source(postgres.url(db), "x")
    csv_path, json_path = tmp_path / "x.csv", tmp_path / "x.json"
    result = CliRunner().invoke(cli, ["export", f"x={postgres.url(db)}", "-o", str(csv_path)])
    assert result.exit_code == 0, result.output
    header = csv_path.read_text().splitlines()[0]
    assert header.endswith(",EXCLUDE_OPERATOR,REFERENCED_BY")
    save_snapshot(live, str(json_path))
    for back in (open_source(str(csv_path), "x"), load_snapshot(str(json_path))):
        for name, table in live.tables.items():
            other = back.tables[name]
            assert {k: ix.full_key() for k, ix in other.indexes.items()} == \
                {k: ix.full_key() for k, ix in table.indexes.items()}
            assert other.referenced_by == table.referenced_by
        assert {"Idx_a", "idx_a"} <= set(back.tables["parent"].indexes)
        assert compare({"live": live, "back": back}, "live").findings == []


def test_catalog_csv_without_the_new_columns_still_reads(postgres, tmp_path):
    db = postgres.create_db("x")
    postgres.run(db, EX_PRD)
    path = tmp_path / "x.csv"
    CliRunner().invoke(cli, ["export", f"x={postgres.url(db)}", "-o", str(path)])
    lines = path.read_text().splitlines()
    # An export from before EXCLUDE_OPERATOR / REFERENCED_BY: drop the last two columns.
    path.write_text("\n".join(line.rsplit(",", 2)[0] for line in lines) + "\n")
    old = open_source(str(path), "old")
    live = open_source(postgres.url(db), "live")
    assert old.tables["booking"].indexes["ex_room"].parts[0].operator is None
    found = compare({"live": live, "old": old}, "live").findings
    assert {(f.index, tuple(f.changes)) for f in found} == {
        ("ex_room", ("operator",)), ("ex_eq", ("operator",)), ("ex_box", ("operator",)),
        ("ex_ren", ("operator",))}
    # Unknown operators cannot be generated: held back with the reason, not guessed.
    plan = plan_env(compare({"old": old, "live": live}, "old"), "live",
                    target_of("postgresql", "15"), PlanOptions())
    assert {h.why for t in plan.tables for h in t.held} == {"unsupported"}
    assert all("operators are unknown" in h.detail for t in plan.tables for h in t.held)


def test_catalog_csv_without_referenced_by_does_not_claim_foreign_key_knowledge(
        postgres, tmp_path):
    prd, dev = pg_pair(postgres, FK_PRD, FK_DEV)
    path = tmp_path / "dev.csv"
    result = CliRunner().invoke(cli, ["export", f"dev={postgres.url(dev)}", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert open_source(str(path), "dev").has_details  # REFERENCED_BY: as good as live
    rows = list(csv.reader(io.StringIO(path.read_text())))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(row[:-1] for row in rows)
    path.write_text(out.getvalue())  # an export from before REFERENCED_BY
    old = open_source(str(path), "dev")
    assert not old.has_details
    snaps = {"prd": open_source(postgres.url(prd), "prd"), "dev": old}
    comparison = compare(snaps, "prd")
    opts = PlanOptions(drop_extra=True)
    plan = plan_env(comparison, "dev", target_of("postgresql", "15"), opts)
    assert not plan.safety_known
    up = build_script(plan, comparison, opts).up_text()
    assert "foreign keys and AUTO_INCREMENT were not known (file source)" in up


CASE = "CREATE TABLE t (id int PRIMARY KEY, a int, b int);"


def test_names_differing_only_in_case_are_two_indexes(postgres):
    db = postgres.create_db("x")
    postgres.run(db, CASE + 'CREATE INDEX "Idx_a" ON t (a); CREATE INDEX idx_a ON t (a, b);')
    snap = open_source(postgres.url(db), "x")
    assert set(snap.tables["t"].indexes) == {"t_pkey", "Idx_a", "idx_a"}
    assert compare({"a": snap, "b": open_source(postgres.url(db), "b")}, "a").findings == []
    # Both missing in another env: two findings, two rows of the team's table.
    other = postgres.create_db("y")
    postgres.run(other, CASE)
    comparison = compare({"a": snap, "b": open_source(postgres.url(other), "b")}, "a")
    assert {(f.kind, f.index) for f in comparison.findings} == {("missing", "Idx_a"),
                                                                ("missing", "idx_a")}
    rows = build_matrix(comparison, Catalog("en")).rows
    assert sorted(r.index for r in rows) == ["Idx_a", "idx_a"]


def test_case_only_rename_round_trip(postgres, tmp_path):
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, CASE + 'CREATE INDEX "Idx_a" ON t (a); CREATE INDEX "B_idx" ON t (b);')
    postgres.run(dev, CASE + 'CREATE INDEX idx_a ON t (a); CREATE INDEX "b_IDX" ON t (b);')
    original = finding_set(postgres, prd, dev)
    assert original == {("renamed", "t", "Idx_a", ("name",)),
                        ("renamed", "t", "B_idx", ("name",))}
    before = index_state(postgres, dev)
    snaps = {"prd": open_source(postgres.url(prd), "prd"),
             "dev": open_source(postgres.url(dev), "dev")}
    comparison = compare(snaps, "prd")
    opts = PlanOptions()
    script = build_script(plan_env(comparison, "dev", target_of("postgresql", "15"), opts),
                          comparison, opts)
    up = script.up_text()
    assert 'ALTER INDEX "public"."idx_a" RENAME TO "Idx_a";' in up
    assert 'ALTER INDEX "public"."b_IDX" RENAME TO "B_idx";' in up
    psql(dev, up)
    assert finding_set(postgres, prd, dev) == set()
    psql(dev, script.down_text())
    assert finding_set(postgres, prd, dev) == original
    assert index_state(postgres, dev) == before
