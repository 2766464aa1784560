"""Staged drops: hide an index from the optimizer first, drop it in a later migration.

Step 1 makes each index that is to be dropped INVISIBLE (MySQL 8) or IGNORED (MariaDB
10.6+): the server keeps maintaining it but no query can use it, and making it visible
again is instant. Step 2, a separate later migration, drops the hidden index; its
rollback re-creates it hidden, exactly as step 1 left it.
"""

from __future__ import annotations

from dataclasses import replace

from indexdrift.compare.tables import EXTRA
from indexdrift.core.i18n import Catalog
from indexdrift.core.target import Target
from indexdrift.plan.ops import DropIndex, SetVisibility, Step, TablePlan

STEP1_HEADER = [
    "staged drop, step 1 of 2: hides {count} index(es) from the optimizer ({word}); the",
    "server still maintains them. After applying, watch the error log and the slow query",
    "log (and the application's latency) for a representative period. If anything",
    "regresses, run the rollback: it makes them visible again, instantly. When nothing did,",
    "apply step 2, which drops them.",
]
STEP2_HEADER = [
    "staged drop, step 2 of 2: drops the index(es) step 1 hid ({word}). Apply it only after",
    "step 1 has run for a representative period without new errors or slow queries.",
    "The rollback re-creates them hidden, as step 1 left them.",
]


def can_stage(target: Target) -> bool:
    """True when the target can hide an index: MySQL 8 or MariaDB 10.6+."""
    return target.invisible_indexes


def _is_plain_drop(step: Step) -> bool:
    return step.reason == EXTRA and bool(step.ops) and all(
        isinstance(op, DropIndex) and not op.index.primary for op in step.ops)


def split_staged(tables: list[TablePlan]) -> list[TablePlan]:
    """Turn the drops of indexes only the env has into hide steps (in ``tables``) and
    return the later plan's tables, which drop the hidden indexes."""
    later: list[TablePlan] = []
    for table_plan in tables:
        drops: list[Step] = []
        kept: list[Step] = []
        for step in table_plan.steps:
            if not _is_plain_drop(step):
                kept.append(step)
                continue
            hide_ops = [SetVisibility(replace(op.index, visible=False), True)
                        for op in step.ops if op.index.visible]
            if hide_ops:
                kept.append(Step(hide_ops, step.reason, step.index_name))
            drops.append(Step([DropIndex(replace(op.index, visible=False)) for op in step.ops],
                              step.reason, step.index_name))
        table_plan.steps = kept
        if drops:
            later.append(TablePlan(table_plan.table, drops, size_bytes=table_plan.size_bytes,
                                   engine=table_plan.engine, has_hash=table_plan.has_hash))
    return later


def staged_count(tables: list[TablePlan]) -> int:
    """How many indexes a later plan drops."""
    return sum(len(step.ops) for t in tables for step in t.steps)


def staged_header(stage: int, later_tables: list[TablePlan], target: Target,
                  lang: Catalog | None = None) -> list[str]:
    """The procedure, for the header of step 1 (``stage`` 1) or step 2 (``stage`` 2), in
    ``lang`` when given (``migrate.staged.step1/2``, one catalog text of several lines)."""
    if stage not in (1, 2):
        return []
    out: list[str] = []
    count = staged_count(later_tables)
    if count:
        lines = STEP1_HEADER if stage == 1 else STEP2_HEADER
        word = target.visibility or ""
        if lang is not None and lang.lang != "en":
            out += lang.t(f"migrate.staged.step{stage}", count=count, word=word).split("\n")
        else:
            out += [line.format(count=count, word=word) for line in lines]
    tables = sum(len(step.ops) for t in later_tables for step in t.table_steps)
    if tables:
        # Whole tables (plan/whole_tables.py): renamed in step 1, dropped in step 2.
        out += (lang or Catalog("en")).t(f"migrate.staged.tables{stage}",
                                         count=tables).split("\n")
    return out
