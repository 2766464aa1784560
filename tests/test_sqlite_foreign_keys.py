"""SQLite foreign keys: the UNIQUE index a foreign key's parent columns rely on is read
(PRAGMA foreign_key_list), and a migration that would drop it without leaving another
index that serves the same parent key is refused, on real SQLite files.

Old catalog CSVs without REFERENCED_BY do not know these dependents, so a migration from
one says the drops were not checked instead of silently generating them.
"""

from __future__ import annotations

import csv
import io
import shutil
import sqlite3

from test_sqlite_drift import finding_set, index_state, make

from indexdrift.compare.tables import compare
from indexdrift.core.target import target_of
from indexdrift.ddl.script import build_script
from indexdrift.plan.planner import PlanOptions, plan_env
from indexdrift.sources import open_source
from indexdrift.sources.export import export_csv

COMMON = """
CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT, tag TEXT, kind TEXT, grp INT,
                     sub INT);
CREATE TABLE child (id INTEGER PRIMARY KEY,
                    parent_code TEXT REFERENCES parent (code),
                    parent_tag TEXT REFERENCES parent (tag),
                    parent_kind TEXT REFERENCES parent (kind),
                    parent_id INT REFERENCES parent, g INT, s INT,
                    FOREIGN KEY (s, g) REFERENCES parent (sub, grp));
"""

PRD = COMMON + """
CREATE INDEX uq_code ON parent (code);
CREATE UNIQUE INDEX uq_kind_new ON parent (kind);
CREATE UNIQUE INDEX uq_grp ON parent (sub, grp);
"""

DEV = COMMON + """
CREATE UNIQUE INDEX uq_code ON parent (code);
CREATE UNIQUE INDEX ux_tag ON parent (tag);
CREATE UNIQUE INDEX uq_kind ON parent (kind);
CREATE UNIQUE INDEX uq_grp ON parent (grp, sub);
INSERT INTO parent VALUES (1, 'c1', 't1', 'k1', 1, 1);
"""

CHILD_ROW = "INSERT INTO child VALUES (1, 'c1', 't1', 'k1', 1, 1, 1)"  # s=1, g=1


def child_write_error(path: str) -> str | None:
    """Write a child row with foreign keys enforced; the error text, or None."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN")
        conn.execute(CHILD_ROW)
        conn.execute("ROLLBACK")
        return None
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()


def run_plain(path: str, sql: str) -> None:
    """Apply a plain script with foreign keys enforced, as an application connection does."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.executescript(sql)
    finally:
        conn.close()


def plan_script(prd: str, dev: str, **options):
    snaps = {"prd": open_source(prd, "prd"), "dev": open_source(dev, "dev")}
    comparison = compare(snaps, "prd")
    opts = PlanOptions(**options)
    plan = plan_env(comparison, "dev", target_of("sqlite", None), opts)
    return plan, build_script(plan, comparison, opts)


def test_foreign_key_dependents_are_read(tmp_path):
    dev = make(tmp_path / "d.db", DEV)
    parent = open_source(dev, "dev").tables["parent"]
    # REFERENCES parent (no columns) is the rowid: no index involved.
    assert parent.referenced_by == {"uq_code": ("child(parent_code)",),
                                    "ux_tag": ("child(parent_tag)",),
                                    "uq_kind": ("child(parent_kind)",),
                                    "uq_grp": ("child(s, g)",)}


def test_dropping_a_parent_key_index_is_refused(tmp_path):
    prd, dev = make(tmp_path / "p.db", PRD), make(tmp_path / "d.db", DEV)
    original = finding_set(prd, dev)
    assert original == {("changed", "parent", "uq_code", ("unique",)),
                        ("changed", "parent", "uq_grp", ("column_order",)),
                        ("renamed", "parent", "uq_kind_new", ("name",)),
                        ("extra", "parent", "ux_tag", ())}
    # What the refusal saves us from: SQLite drops the index, then every child write fails.
    scratch = str(tmp_path / "scratch.db")
    shutil.copy(dev, scratch)
    assert child_write_error(scratch) is None
    run_plain(scratch, "DROP INDEX uq_code;")
    assert "foreign key mismatch" in (child_write_error(scratch) or "")

    plan, script = plan_script(prd, dev, drop_extra=True)
    held = {h.step.index_name: (h.why, h.detail) for t in plan.tables for h in t.held}
    assert held == {"uq_code": ("fk_referenced", "foreign key child(parent_code)"),
                    "ux_tag": ("fk_referenced", "foreign key child(parent_tag)")}
    up = script.up_text()
    assert ("-- changed uq_code: REFUSED: foreign key child(parent_code) rel(y/ies) on this "
            "UNIQUE index as the parent key") in up
    assert 'DROP INDEX "uq_code";' not in up and 'DROP INDEX "ux_tag";' not in up
    # A rebuild or rename that leaves a serving index is generated as usual.
    assert 'DROP INDEX "uq_kind";' in up and 'DROP INDEX "uq_grp";' in up
    before = index_state(dev)
    run_plain(dev, up)
    assert child_write_error(dev) is None
    assert finding_set(prd, dev) == {("changed", "parent", "uq_code", ("unique",)),
                                     ("extra", "parent", "ux_tag", ())}
    run_plain(dev, script.down_text())
    assert finding_set(prd, dev) == original
    assert index_state(dev) == before


def test_refused_without_drop_extra_says_refused(tmp_path):
    prd, dev = make(tmp_path / "p.db", PRD), make(tmp_path / "d.db", DEV)
    plan, script = plan_script(prd, dev)
    held = {h.step.index_name: h.why for t in plan.tables for h in t.held}
    assert held == {"uq_code": "fk_referenced", "ux_tag": "fk_referenced"}
    assert "-- extra ux_tag: REFUSED: foreign key child(parent_tag)" in script.up_text()


def test_replacement_in_the_same_migration_is_allowed(tmp_path):
    # prd serves child(parent_code) with another UNIQUE index: the drop of uq_code is fine.
    prd = make(tmp_path / "p.db", PRD + "CREATE UNIQUE INDEX uq_code2 ON parent (code);")
    dev = make(tmp_path / "d.db", DEV)
    plan, script = plan_script(prd, dev)
    assert "uq_code" not in {h.step.index_name for t in plan.tables for h in t.held}
    run_plain(dev, script.up_text())
    assert child_write_error(dev) is None


def test_catalog_csv_keeps_dependents(tmp_path):
    prd, dev = make(tmp_path / "p.db", PRD), make(tmp_path / "d.db", DEV)
    csv_path = tmp_path / "dev.csv"
    csv_path.write_text(export_csv(open_source(dev, "dev")), encoding="utf-8")
    back = open_source(str(csv_path), "dev")
    assert back.has_details
    assert back.tables["parent"].referenced_by == \
        open_source(dev, "dev").tables["parent"].referenced_by
    plan, _ = plan_script(prd, str(csv_path), drop_extra=True)
    assert {h.step.index_name for t in plan.tables for h in t.held} == {"uq_code", "ux_tag"}


def test_old_catalog_csv_does_not_claim_foreign_key_knowledge(tmp_path):
    prd, dev = make(tmp_path / "p.db", PRD), make(tmp_path / "d.db", DEV)
    rows = list(csv.reader(io.StringIO(export_csv(open_source(dev, "dev")))))
    assert rows[0][-1] == "REFERENCED_BY"
    # An export from before REFERENCED_BY existed.
    old = tmp_path / "dev_old.csv"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(row[:-1] for row in rows)
    old.write_text(out.getvalue(), encoding="utf-8")
    snapshot = open_source(str(old), "dev")
    assert snapshot.flavor == "sqlite" and not snapshot.has_details
    assert snapshot.tables["parent"].referenced_by == {}
    plan, script = plan_script(prd, str(old), drop_extra=True)
    # Nothing refused (the file cannot say what to refuse), and the script says so.
    assert not plan.safety_known and not any(t.held for t in plan.tables)
    assert "foreign keys and AUTO_INCREMENT were not known (file source)" in script.up_text()
