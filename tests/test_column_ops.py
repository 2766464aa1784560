"""Column operations: exact inverses, safety verdicts, and the planner that makes them."""

from __future__ import annotations

import pytest

from indexdrift.compare.tables import compare
from indexdrift.core.target import parse_target
from indexdrift.model.tables import Column, Index, KeyPart, Snapshot, Table
from indexdrift.plan.ops import (
    DATA_LOSS,
    AddColumn,
    AddIndex,
    DropColumn,
    DropIndex,
    ModifyColumn,
    RenameColumn,
    ReplaceIndex,
)
from indexdrift.plan.planner import PlanOptions, plan_env

A = Column("a", 1, "int", False)
B = Column("b", 2, "varchar(20)", True, default="NULL")
B_WIDE = Column("b", 2, "varchar(40)", True, default="NULL")
B_RENAMED = Column("bee", 2, "varchar(20)", True, default="NULL")


@pytest.mark.parametrize("op", [
    AddColumn(B, "a"), DropColumn(B, "a"), ModifyColumn(B, B_WIDE, "a", None, True),
    RenameColumn(B, B_RENAMED, "a", "a")])
def test_inverse_of_the_inverse_is_the_operation(op):
    assert op.inverse().inverse() == op
    assert op.inverse() != op


def test_only_a_drop_loses_data():
    assert DropColumn(B).unsafe() == DATA_LOSS
    assert [op.unsafe() for op in (AddColumn(B), ModifyColumn(B, B_WIDE),
                                   RenameColumn(B, B_RENAMED))] == [None, None, None]


def _snapshot(*columns: Column) -> Snapshot:
    found = Snapshot("file", "shop", flavor="mariadb", version="10.11.0")
    found.tables["t"] = Table("t", columns={c.name_key: c for c in columns})
    return found


def _plan(base: Snapshot, env: Snapshot, **options):
    comparison = compare({"prd": base, "dev": env}, "prd")
    return plan_env(comparison, "dev", parse_target("mariadb:10.11"), PlanOptions(**options))


def test_the_planner_makes_one_column_step_and_holds_the_drop():
    extra = Column("x", 3, "bigint", True, default="NULL")
    plan = _plan(_snapshot(A, B_WIDE, Column("c", 3, "int", True, default="NULL")),
                 _snapshot(A, B, extra))
    (table,) = plan.tables
    assert [type(op) for step in table.column_steps for op in step.ops] == [
        ModifyColumn, AddColumn]
    assert [(type(h.step.ops[0]), h.why) for h in table.column_held] == [
        (DropColumn, DATA_LOSS)]
    assert table.steps == []  # no index operation


def test_drop_extra_plans_the_drop_and_a_rename_is_a_rename():
    plan = _plan(_snapshot(A, B_RENAMED), _snapshot(A, B), drop_extra=True)
    (table,) = plan.tables
    (step,) = table.column_steps
    assert step.ops == [RenameColumn(B, B_RENAMED, "a", "a", False)]
    assert step.inverse().ops == [RenameColumn(B_RENAMED, B, "a", "a", False)]
    assert table.column_held == []


def _indexed(snapshot: Snapshot, *indexes: tuple[str, tuple[str, ...]]) -> Snapshot:
    for name, columns in indexes:
        snapshot.tables["t"].add(Index("t", name, tuple(KeyPart(c) for c in columns)))
    return snapshot


X = Column("x", 3, "int", True, default="NULL")
M = Column("m", 3, "int", True, default="NULL")


def test_index_steps_on_columns_the_column_step_takes_away_run_before_it():
    # ix_x: on the dropped x (extra); ix_ax: (a, x) -> (a); ix_b: unrelated, stays after;
    # ix_m: (x) -> (m), m is added: dropped first, added after
    base = _indexed(_snapshot(A, B, M), ("ix_ax", ("a",)), ("ix_b", ("b", "a")),
                    ("ix_m", ("m",)))
    env = _indexed(_snapshot(A, B, X), ("ix_x", ("x",)), ("ix_ax", ("a", "x")),
                   ("ix_b", ("b",)), ("ix_m", ("x",)))
    (table,) = _plan(base, env, drop_extra=True).tables
    first = [(type(op).__name__, op.old.name if isinstance(op, ReplaceIndex) else op.index.name)
             for step in table.before_columns for op in step.ops]
    later = [(type(op).__name__, op.old.name if isinstance(op, ReplaceIndex) else op.index.name)
             for step in table.steps for op in step.ops]
    assert sorted(first) == [("DropIndex", "ix_m"), ("DropIndex", "ix_x"),
                             ("ReplaceIndex", "ix_ax")]
    assert sorted(later) == [("AddIndex", "ix_m"), ("ReplaceIndex", "ix_b")]


def test_a_renamed_column_moves_the_drop_of_its_index_first():
    base = _indexed(_snapshot(A, B_RENAMED), ("uq_bee", ("bee",)))
    env = _indexed(_snapshot(A, B), ("uq_b", ("b",)))
    (table,) = _plan(base, env, drop_extra=True).tables
    assert [[type(op) for op in s.ops] for s in table.before_columns] == [[DropIndex]]
    assert [[type(op) for op in s.ops] for s in table.steps] == [[AddIndex]]
    # without --drop-extra the drop is held: nothing to move
    (table,) = _plan(base, env).tables
    assert table.before_columns == [] and [h.why for h in table.held] == [
        "extra_not_dropped"]


def test_without_columns_taken_away_the_index_steps_stay():
    base = _indexed(_snapshot(A, B_WIDE, M), ("ix_b", ("b",)))
    env = _indexed(_snapshot(A, B), ("ix_b", ("b", "a")))
    (table,) = _plan(base, env, drop_extra=True).tables
    assert table.before_columns == [] and len(table.steps) == 1


def test_an_index_names_the_columns_of_its_expressions_and_predicate():
    from indexdrift.plan.planner import _index_columns

    pg = Index("t", "ix", (KeyPart(None, expression='lower("Code") || b'),), exact_name=True,
               predicate='("Code" IS NOT NULL)', include=("Inc",))
    assert {"Code", "b", "Inc"} <= _index_columns(pg) and "code" not in _index_columns(pg)
    my = Index("t", "ix", (KeyPart(None, expression="lower(`Code`)"),))
    assert "code" in _index_columns(my)
