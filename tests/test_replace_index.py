"""ReplaceIndex: the one operation of a changed index, its exact inverse, the planner that
emits it, the safety checks that see it drop the old index, and each dialect's rendering."""

from __future__ import annotations

from dataclasses import replace

import pytest

from indexdrift.compare.tables import CHANGED, RENAMED, compare
from indexdrift.core.target import parse_target
from indexdrift.ddl.script import build_script
from indexdrift.model.tables import ForeignKey, Index, KeyPart, Snapshot, Table
from indexdrift.plan.ops import (
    AddIndex,
    DropIndex,
    RenameIndex,
    ReplaceIndex,
    Step,
    added_indexes,
    dropped_indexes,
)
from indexdrift.plan.planner import PlanOptions, plan_env

OLD = Index("t", "ix_a", (KeyPart("a"),))
NEW = Index("t", "ix_a", (KeyPart("a"), KeyPart("b")), comment="wider")


def test_inverse_puts_the_env_definition_back():
    op = ReplaceIndex(OLD, NEW)
    assert op.inverse() == ReplaceIndex(NEW, OLD)
    assert op.inverse().inverse() == op
    step = Step([op], CHANGED, "ix_a")
    assert step.inverse().ops == [ReplaceIndex(NEW, OLD)]
    assert step.inverse().inverse() == step


def test_only_name_or_comment():
    renamed = replace(OLD, name="ix_b", comment="new")
    assert ReplaceIndex(OLD, renamed).only_name_or_comment()
    assert not ReplaceIndex(OLD, NEW).only_name_or_comment()
    # An invalid index is rebuilt, never renamed into place.
    assert not ReplaceIndex(replace(OLD, valid=False), renamed).only_name_or_comment()
    assert not ReplaceIndex(OLD, replace(renamed, valid=False)).only_name_or_comment()


def test_a_replacement_drops_the_old_index_and_adds_the_new_one():
    other = Index("t", "ix_c", (KeyPart("c"),))
    ops = [AddIndex(other), ReplaceIndex(OLD, NEW), DropIndex(other),
           RenameIndex(OLD, replace(OLD, name="ix_z"))]
    assert added_indexes(ops) == [other, NEW]
    assert dropped_indexes(ops) == [OLD, other]


def _snapshot(flavor: str, version: str, *indexes: Index, schema: str | None = "shop",
              **facts) -> Snapshot:
    found = Snapshot("file", schema, flavor=flavor, version=version, has_details=True)
    table = found.tables["t"] = Table("t", **facts)
    for index in indexes:
        table.add(replace(index, exact_name=flavor == "postgresql"))
    return found


def _server(target: str) -> tuple[str, str]:
    """The flavor and version a snapshot of ``target`` carries."""
    found = parse_target(target)
    return found.flavor, ".".join(map(str, found.version))


def _plan(target: str, base: Snapshot, env: Snapshot, **options):
    comparison = compare({"prd": base, "dev": env}, "prd")
    return comparison, plan_env(comparison, "dev", parse_target(target), PlanOptions(**options))


def _index_ops(plan):
    (table,) = plan.tables
    return [(step.reason, step.ops) for step in table.steps]


def _named(flavor, index):
    return replace(index, exact_name=flavor == "postgresql")


@pytest.mark.parametrize("target", ["mariadb:10.11", "mysql:8.0", "postgresql:15", "sqlite"])
def test_the_planner_replaces_a_changed_index(target):
    flavor, version = _server(target)
    _, plan = _plan(target, _snapshot(flavor, version, NEW), _snapshot(flavor, version, OLD))
    assert _index_ops(plan) == [(CHANGED, [ReplaceIndex(_named(flavor, OLD),
                                                         _named(flavor, NEW))])]


@pytest.mark.parametrize("target", ["mariadb:10.4", "sqlite"])
def test_the_planner_replaces_a_rename_the_target_cannot_do(target):
    flavor, version = _server(target)
    base = replace(OLD, name="ix_new")
    _, plan = _plan(target, _snapshot(flavor, version, base),
                    _snapshot(flavor, version, OLD))
    assert _index_ops(plan) == [(RENAMED, [ReplaceIndex(OLD, base)])]


def test_a_rename_the_target_can_do_stays_a_rename():
    base = replace(OLD, name="ix_new")
    _, plan = _plan("mariadb:10.11", _snapshot("mariadb", "10.11.0", base),
                    _snapshot("mariadb", "10.11.0", OLD))
    assert _index_ops(plan) == [(RENAMED, [RenameIndex(OLD, base)])]


def test_rename_and_comment_is_one_replacement_postgresql_renders_without_a_rebuild():
    base = _named("postgresql", replace(OLD, name="ix_new", comment="by email"))
    mine = _named("postgresql", OLD)
    comparison, plan = _plan("postgresql:15", _snapshot("postgresql", "15.0", base),
                             _snapshot("postgresql", "15.0", mine))
    assert _index_ops(plan) == [(RENAMED, [ReplaceIndex(mine, base)])]
    script = build_script(plan, comparison, PlanOptions())
    (table,) = script.tables
    assert [s.sql for s in table.up] == [
        'ALTER INDEX "shop"."ix_a" RENAME TO "ix_new";',
        'COMMENT ON INDEX "shop"."ix_new" IS \'by email\';']
    assert [s.sql for s in table.down] == [
        'ALTER INDEX "shop"."ix_new" RENAME TO "ix_a";',
        'COMMENT ON INDEX "shop"."ix_a" IS NULL;']


def test_postgresql_builds_a_changed_index_first_online_and_drops_and_creates_offline():
    mine, base = _named("postgresql", OLD), _named("postgresql", NEW)
    comparison, plan = _plan("postgresql:15", _snapshot("postgresql", "15.0", base),
                             _snapshot("postgresql", "15.0", mine))
    (table,) = build_script(plan, comparison, PlanOptions()).tables
    assert [s.sql for s in table.up][:3] == [
        'CREATE INDEX CONCURRENTLY "ix_a_indexdrift_new" ON "shop"."t" ("a", "b");',
        'DROP INDEX "shop"."ix_a";',
        'ALTER INDEX "shop"."ix_a_indexdrift_new" RENAME TO "ix_a";']
    options = PlanOptions(online=False)
    comparison, plan = _plan("postgresql:15", _snapshot("postgresql", "15.0", base),
                             _snapshot("postgresql", "15.0", mine), online=False)
    (table,) = build_script(plan, comparison, options).tables
    assert [s.sql for s in table.up] == [
        'DROP INDEX "shop"."ix_a";', 'CREATE INDEX "ix_a" ON "shop"."t" ("a", "b");',
        'COMMENT ON INDEX "shop"."ix_a" IS \'wider\';']


def test_mysql_writes_the_replacement_among_the_statement_clauses():
    missing = Index("t", "ix_m", (KeyPart("m"),))
    other_old = Index("t", "ix_o", (KeyPart("o"),))
    other_new = replace(other_old, unique=True)
    comparison, plan = _plan(
        "mysql:8.0", _snapshot("mysql", "8.0.36", NEW, missing, other_new, schema=None),
        _snapshot("mysql", "8.0.36", OLD, other_old, schema=None))
    (table,) = build_script(plan, comparison, PlanOptions()).tables
    (up,) = [s.sql for s in table.up if s.executable]
    # Drops first, then the adds, in the steps' order (as a drop + add always were).
    assert up == ("ALTER TABLE `t`\n  DROP INDEX `ix_a`,\n  DROP INDEX `ix_o`,\n"
                  "  ADD INDEX `ix_a` (`a`, `b`) COMMENT 'wider',\n  ADD INDEX `ix_m` (`m`),\n"
                  "  ADD UNIQUE INDEX `ix_o` (`o`),\n  ALGORITHM=INPLACE, LOCK=NONE;")


def test_a_foreign_key_still_needs_the_replaced_index():
    fk = ForeignKey("t", "fk_t_a", ("a",))
    base = Index("t", "ix_a", (KeyPart("b"),))
    _, plan = _plan("mariadb:10.11", _snapshot("mariadb", "10.11.0", base),
                    _snapshot("mariadb", "10.11.0", OLD, foreign_keys=(fk,)))
    (table,) = plan.tables
    assert table.steps == []
    (held,) = table.held
    assert held.why == "fk_needs" and held.step.ops == [ReplaceIndex(OLD, base)]


def test_auto_increment_still_needs_the_replaced_primary_key():
    pk = Index("t", "PRIMARY", (KeyPart("a"),), unique=True, primary=True)
    base = replace(pk, parts=(KeyPart("b"), KeyPart("a")))
    _, plan = _plan("mariadb:10.11", _snapshot("mariadb", "10.11.0", base),
                    _snapshot("mariadb", "10.11.0", pk, auto_increment_column="a"))
    (table,) = plan.tables
    assert [h.why for h in table.held] == ["auto_increment"]


def test_postgresql_refuses_to_rebuild_a_referenced_index_but_renames_it():
    unique = _named("postgresql", Index("t", "uq_a", (KeyPart("a"),), unique=True))
    referenced = {"uq_a": ("fk_child_a",)}
    changed = replace(unique, parts=(KeyPart("a"), KeyPart("b")))
    _, plan = _plan("postgresql:15", _snapshot("postgresql", "15.0", changed),
                    _snapshot("postgresql", "15.0", unique, referenced_by=referenced))
    (table,) = plan.tables
    assert table.steps == [] and [h.why for h in table.held] == ["fk_referenced"]
    renamed = replace(unique, name="uq_t_a", comment="the key")
    _, plan = _plan("postgresql:15", _snapshot("postgresql", "15.0", renamed),
                    _snapshot("postgresql", "15.0", unique, referenced_by=referenced))
    (table,) = plan.tables
    assert table.held == [] and _index_ops(plan) == [
        (RENAMED, [ReplaceIndex(unique, renamed)])]
