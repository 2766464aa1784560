"""Migration planning and MySQL DDL without a server: golden files, targets, options."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlglot
from click.testing import CliRunner
from csvtools import BASE, stats_csv
from sqlglot import exp

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.core.target import parse_target
from indexdrift.ddl.script import build_script
from indexdrift.dialects.mysql.statistics_csv import read_csv
from indexdrift.plan.planner import PlanOptions, plan_env

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"
FILES = [f"examples/indexes_{e}.csv" for e in ("prd", "stg", "dev")]


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    """Golden headers name the sources as given: run from the repository root."""
    monkeypatch.chdir(ROOT)


def migrate_output(*args: str) -> str:
    result = CliRunner().invoke(cli, ["migrate", *FILES, "--stdout", *args])
    assert result.exit_code == 0, result.output
    return result.output


def statements(script: str) -> list[str]:
    """Executable DDL statements of a script (comment lines and the session SETs at the
    top, the database guard and the lock wait limit, dropped)."""
    body = "\n".join(line for line in script.splitlines() if not line.startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()
            and not s.strip().startswith("SET SESSION")]


@pytest.mark.parametrize("env", ["dev", "stg"])
@pytest.mark.parametrize("direction", ["up", "down"])
def test_golden_mysql8_migrations(env, direction):
    args = ["--env", env, "--drop-extra"] + (["--rollback"] if direction == "down" else [])
    text = migrate_output(*args)
    golden = GOLDEN / f"mysql8_{env}.{direction}.sql"
    if os.environ.get("INDEXDRIFT_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.glob("*.sql")))
def test_golden_statements_parse_as_mysql(name):
    for sql in statements((GOLDEN / name).read_text(encoding="utf-8")):
        tree = sqlglot.parse_one(sql, read="mysql")
        assert isinstance(tree, exp.Alter), sql
        assert not list(tree.find_all(exp.Command)), sql


def test_mysql8_functional_and_invisible_spelling():
    dev = migrate_output("--env", "dev")
    assert "ADD INDEX `idx_products_lower_sku` ((lower(`sku`)));" in dev
    assert "ALTER INDEX `idx_orders_status` VISIBLE" in dev
    down = migrate_output("--env", "dev", "--rollback")
    assert "ALTER INDEX `idx_orders_status` INVISIBLE" in down
    tree = sqlglot.parse_one(statements(dev)[1], read="mysql")
    assert tree.find(exp.AlterIndex).args["visible"] is True


def test_mariadb_target_uses_ignored_never_version_comments():
    up = migrate_output("--env", "dev", "--target", "dev=mariadb:10.11")
    assert "ALTER INDEX `idx_orders_status` NOT IGNORED" in up and "/*!" not in up
    assert "NOT APPLIED: functional key parts need MySQL 8.0.13+" in up


def test_old_mariadb_without_rename_index_drops_and_adds():
    up = migrate_output("--env", "dev", "--target", "dev=mariadb:10.4")
    assert "RENAME INDEX" not in up
    assert "DROP INDEX `email_unique`" in up and "ADD UNIQUE INDEX `uq_users_email`" in up


def test_mysql57_target_holds_what_it_cannot_express():
    up = migrate_output("--env", "dev", "--target", "dev=mysql:5.7")
    assert "NOT APPLIED: mysql 5.7.0 parses DESC and ignores it" in up
    assert "VISIBLE" not in up.replace("invisible/ignored", "")


def test_online_off_omits_algorithm_and_lock():
    up = migrate_output("--env", "stg", "--online", "off")
    assert "ALGORITHM" not in up and "LOCK=" not in up


def test_extra_indexes_are_commented_out_by_default():
    up = migrate_output("--env", "stg")
    assert "-- ALTER TABLE `products`\n--   DROP INDEX `idx_products_price_tmp`" in up
    assert "re-run with --drop-extra" in up
    assert all("idx_products_price_tmp" not in s for s in statements(up))


def test_file_source_without_flavor_needs_a_target(tmp_path):
    for env in ("prd", "dev"):
        (tmp_path / f"indexes_{env}.csv").write_text(stats_csv(BASE[:-1] if env == "dev"
                                                               else BASE))
    args = ["migrate", str(tmp_path / "indexes_prd.csv"), str(tmp_path / "indexes_dev.csv"),
            "--stdout"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0 and "--target dev=mysql:8.0" in str(result.exception)
    result = CliRunner().invoke(cli, [*args, "--target", "mysql:5.7"])
    assert result.exit_code == 0 and "ADD INDEX `idx_note` (`note`(20)) COMMENT 'search'" \
        in result.output


def test_rollback_steps_are_exact_inverses(tmp_path):
    snaps = {e: read_csv(f) for e, f in zip(("prd", "stg", "dev"), FILES, strict=True)}
    comparison = compare(snaps, "prd")
    plan = plan_env(comparison, "dev", parse_target("mysql:8.0.36"),
                    PlanOptions(drop_extra=True))
    for table in plan.tables:
        for step in table.steps:
            assert step.inverse().inverse() == step
    script = build_script(plan, comparison, PlanOptions(drop_extra=True))
    assert len(script.statements_up) == len(script.statements_down)
