"""Column drift on the real MariaDB: compare, migrate up → zero drift, down → the original."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli

pytestmark = pytest.mark.mariadb

PRD = """
CREATE TABLE TM_LEAVE_CRT (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(20) NOT NULL DEFAULT 'x' COMMENT 'code',
  IS_CLOSED BOOLEAN NULL DEFAULT 0 COMMENT '마감여부',
  note VARCHAR(50) NULL,
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  amount DECIMAL(10,2) NOT NULL DEFAULT 0.00,
  KEY ix_code (code)
);
"""
DEV = """
CREATE TABLE TM_LEAVE_CRT (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  IS_CLOSED TINYINT(1) NOT NULL DEFAULT 1,
  code VARCHAR(20) NOT NULL DEFAULT 'x' COMMENT 'code',
  created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  amount DECIMAL(10,2) NOT NULL DEFAULT 0.00,
  legacy INT NULL,
  KEY ix_code (code)
);
"""


def _compare(mariadb, prd: str, dev: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["compare", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--objects",
                                      "indexes,columns", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


def _script(mariadb, prd: str, dev: str, *extra: str) -> str:
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--objects", "indexes,columns",
                                      "--stdout", "--target", "mariadb:10.11", *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_column_findings_then_round_trip(mariadb):
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, PRD)
    mariadb.run(dev, DEV)
    before = _compare(mariadb, prd, dev)
    got = {(f["kind"], f["column"]): f["changes"] for f in before}
    assert got == {
        ("column_changed", "IS_CLOSED"): ["nullable", "default", "comment", "position"],
        ("column_missing", "note"): [],
        ("column_extra", "legacy"): [],
    }
    up = _script(mariadb, prd, dev)
    assert "MODIFY COLUMN `IS_CLOSED` tinyint(1) NULL DEFAULT 0 COMMENT '마감여부' AFTER `code`" \
        in up
    assert "-- ALTER TABLE `TM_LEAVE_CRT` DROP COLUMN `legacy`;" in up
    down = _script(mariadb, prd, dev, "--rollback")
    mariadb.run(dev, up)
    after = _compare(mariadb, prd, dev)
    assert [(f["kind"], f["column"]) for f in after] == [("column_extra", "legacy")]
    mariadb.run(dev, down)
    assert _compare(mariadb, prd, dev) == before


def test_drop_extra_drops_with_a_warning_and_rollback_re_adds(mariadb):
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, PRD)
    mariadb.run(dev, DEV)
    before = _compare(mariadb, prd, dev)
    up = _script(mariadb, prd, dev, "--drop-extra")
    assert "WARNING: drops column legacy and ALL ITS DATA" in up
    down = _script(mariadb, prd, dev, "--drop-extra", "--rollback")
    mariadb.run(dev, up)
    assert _compare(mariadb, prd, dev) == []
    mariadb.run(dev, down)
    assert _compare(mariadb, prd, dev) == before


def test_columns_are_off_by_default(mariadb):
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, PRD)
    mariadb.run(dev, DEV)
    result = CliRunner().invoke(cli, ["compare", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["findings"] == []
