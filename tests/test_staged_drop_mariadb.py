"""--staged-drop on the real MariaDB: hide first, drop later, each step with its rollback."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from test_migrate_mariadb import apply_sql

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.core.target import parse_target
from indexdrift.ddl.script import build_script
from indexdrift.plan.planner import PlanOptions, plan_env
from indexdrift.sources import open_source

pytestmark = pytest.mark.mariadb

PRD = """CREATE TABLE parent (id INT PRIMARY KEY);
CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, pid INT, KEY idx_a (a),
  CONSTRAINT fk_pid FOREIGN KEY (pid) REFERENCES parent (id));"""
DEV = """CREATE TABLE parent (id INT PRIMARY KEY);
CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, pid INT, KEY idx_a (a),
  KEY idx_extra (b, a) COMMENT 'only in dev', KEY idx_hidden (b) IGNORED,
  CONSTRAINT fk_pid FOREIGN KEY (pid) REFERENCES parent (id));"""


def indexes(mariadb, db):
    return {k: v.full_key() for k, v in open_source(mariadb.url(db), "x").tables["t"]
            .indexes.items()}


def scripts(mariadb, prd, dev):
    snaps = {"prd": open_source(mariadb.url(prd), "prd", detail=True),
             "dev": open_source(mariadb.url(dev), "dev", detail=True)}
    comparison = compare(snaps, "prd")
    options = PlanOptions(drop_extra=True, staged_drop=True)
    plan = plan_env(comparison, "dev", parse_target("mariadb:10.11"), options)
    return build_script(plan, comparison, options)


def test_staged_drop_round_trip(mariadb):
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, PRD)
    mariadb.run(dev, DEV)
    original = indexes(mariadb, dev)
    step1 = scripts(mariadb, prd, dev)
    step2 = step1.later
    assert step2 is not None
    assert "staged drop, step 1 of 2" in step1.up_text()
    assert "watch the error log and the slow query" in step1.up_text()
    assert "DROP INDEX" not in step1.up_text()
    assert "staged drop, step 2 of 2" in step2.up_text()

    apply_sql(dev, step1.up_text())
    after1 = open_source(mariadb.url(dev), "dev").tables["t"].indexes
    assert not after1["idx_extra"].visible and not after1["idx_hidden"].visible
    hidden = indexes(mariadb, dev)

    apply_sql(dev, step2.up_text())
    snaps = {"prd": open_source(mariadb.url(prd), "prd"),
             "dev": open_source(mariadb.url(dev), "dev")}
    assert compare(snaps, "prd").findings == []

    apply_sql(dev, step2.down_text())
    assert indexes(mariadb, dev) == hidden  # re-created hidden, as step 1 left it
    apply_sql(dev, step1.down_text())
    assert indexes(mariadb, dev) == original


def test_staged_drop_layouts_put_step_two_out_of_the_migrations_directory(mariadb,
                                                                          tmp_path):
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, PRD)
    mariadb.run(dev, DEV)
    urls = [f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}"]
    runner = CliRunner()
    for layout in ("plain", "flyway"):
        out = tmp_path / layout
        result = runner.invoke(cli, ["migrate", *urls, "--drop-extra", "--staged-drop",
                                     "--layout", layout, "--out", str(out),
                                     "--version", "100", "--no-usage"])
        assert result.exit_code == 0, result.output
        files = sorted(str(p.relative_to(out)) for p in out.rglob("*.sql"))
        if layout == "plain":
            assert files == ["dev.rollback.sql", "dev.sql", "dev.step2.rollback.sql",
                             "dev.step2.sql"]
        else:
            # Step 2's version comes after every version step 1 may use.
            assert files == ["dev.step2/U102__indexdrift_dev.sql",
                             "dev.step2/V102__indexdrift_dev.sql",
                             "dev/U100__indexdrift_dev.sql", "dev/V100__indexdrift_dev.sql"]
    stdout = runner.invoke(cli, ["migrate", *urls, "--drop-extra", "--staged-drop",
                                 "--stdout", "--no-usage"])
    assert "step 1 of 2" in stdout.output and "step 2 of 2" in stdout.output


def test_without_visibility_the_drop_is_not_staged(mariadb):
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, PRD)
    mariadb.run(dev, DEV)
    snaps = {"prd": open_source(mariadb.url(prd), "prd", detail=True),
             "dev": open_source(mariadb.url(dev), "dev", detail=True)}
    comparison = compare(snaps, "prd")
    options = PlanOptions(drop_extra=True, staged_drop=True)
    plan = plan_env(comparison, "dev", parse_target("mysql:5.7"), options)
    assert plan.later is None
