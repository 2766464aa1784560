"""Column operations: exact inverses, safety verdicts, and the planner that makes them."""

from __future__ import annotations

import pytest

from indexdrift.compare.tables import compare
from indexdrift.core.target import parse_target
from indexdrift.model.tables import Column, Snapshot, Table
from indexdrift.plan.ops import (
    DATA_LOSS,
    AddColumn,
    DropColumn,
    ModifyColumn,
    RenameColumn,
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
