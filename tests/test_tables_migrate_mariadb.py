"""Whole tables converge on the real MariaDB (issue 20): ``migrate --objects all`` creates
the tables an env lacks and drops (``--drop-extra``) or stages (``--staged-drop``) the
ones only it has; the files are applied with the mariadb client the way each layout's
tool runs them; then ``compare --objects all`` finds nothing and every table's SHOW
CREATE TABLE is the baseline's; the rollback gives back exactly the env that was there.

The baseline: ``a`` (parent), ``b`` (child of a), ``c`` (self-reference and a key to a),
``d`` and ``e`` (referencing each other). The env lacks a, b and e, has c and d without
their keys to the missing tables (keys of existing tables to created ones), and has two
tables of its own: ``x`` and ``y``, a child of x (an extra table another extra table
references), holding rows.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from mariadb_apply import apply_sql, layout_scripts

from indexdrift.cli.main import cli
from indexdrift.core.errors import SourceError
from indexdrift.ddl.layouts import LAYOUTS

pytestmark = pytest.mark.mariadb

PRD = r"""
CREATE TABLE a (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL DEFAULT 'it''s',
  CONSTRAINT ck_name CHECK (name <> ''), KEY ix_name (name))
  ENGINE=InnoDB COMMENT='the \\ parent' ROW_FORMAT=COMPACT;
CREATE TABLE b (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, a_id INT, KEY ix_a (a_id),
  CONSTRAINT fk_b_a FOREIGN KEY (a_id) REFERENCES a (id) ON DELETE CASCADE) ENGINE=InnoDB;
CREATE TABLE c (id INT PRIMARY KEY, up INT, a_id INT, KEY ix_up (up), KEY ix_a (a_id),
  CONSTRAINT fk_c_up FOREIGN KEY (up) REFERENCES c (id),
  CONSTRAINT fk_c_a FOREIGN KEY (a_id) REFERENCES a (id)) ENGINE=InnoDB;
CREATE TABLE d (id INT PRIMARY KEY, e_id INT, KEY ix_e (e_id)) ENGINE=InnoDB;
CREATE TABLE e (id INT PRIMARY KEY, d_id INT, KEY ix_d (d_id)) ENGINE=InnoDB
  COLLATE=utf8mb4_bin;
ALTER TABLE d ADD CONSTRAINT fk_d_e FOREIGN KEY (e_id) REFERENCES e (id);
ALTER TABLE e ADD CONSTRAINT fk_e_d FOREIGN KEY (d_id) REFERENCES d (id) ON UPDATE CASCADE;
"""

DEV = r"""
CREATE TABLE c (id INT PRIMARY KEY, up INT, a_id INT, KEY ix_up (up), KEY ix_a (a_id),
  CONSTRAINT fk_c_up FOREIGN KEY (up) REFERENCES c (id)) ENGINE=InnoDB;
CREATE TABLE d (id INT PRIMARY KEY, e_id INT, KEY ix_e (e_id)) ENGINE=InnoDB;
CREATE TABLE x (id INT PRIMARY KEY, v VARCHAR(10) DEFAULT 'x\\y',
  CONSTRAINT ck_v CHECK (v <> 'no')) ENGINE=InnoDB COMMENT='extra';
CREATE TABLE y (id INT PRIMARY KEY, x_id INT, KEY ix_x (x_id),
  CONSTRAINT fk_y_x FOREIGN KEY (x_id) REFERENCES x (id));
INSERT INTO c VALUES (1, NULL, NULL), (2, 1, NULL);
INSERT INTO x VALUES (1, 'one'); INSERT INTO y VALUES (1, 1);
"""


def create_tables(mariadb, db: str) -> dict[str, str]:
    """Every table's SHOW CREATE TABLE (AUTO_INCREMENT counters left out): the
    independent view of the schema."""
    names = [row[0] for row in mariadb.query(
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s "
        "ORDER BY TABLE_NAME", (db,))]
    return {name: re.sub(r" AUTO_INCREMENT=\d+", "",
                         mariadb.query(f"SHOW CREATE TABLE `{db}`.`{name}`")[0][1])
            for name in names}


def rows(mariadb, db: str, table: str) -> list[tuple]:
    return mariadb.query(f"SELECT * FROM `{db}`.`{table}` ORDER BY 1")


def migrate(mariadb, prd: str, dev: str, out, layout: str, *flags: str) -> None:
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--objects", "all",
                                      "--no-usage", "--out", str(out), "--layout", layout,
                                      "--version", "20261207", *flags])
    assert result.exit_code == 0, result.output


def compare_all(mariadb, prd: str, dev: str):
    return CliRunner().invoke(cli, ["compare", f"prd={mariadb.url(prd)}",
                                    f"dev={mariadb.url(dev)}", "--objects", "all",
                                    "--no-usage", "--format", "json"])


def pair(mariadb, dev_sql: str = DEV) -> tuple[str, str]:
    prd, dev = mariadb.create_db("tp"), mariadb.create_db("td")
    mariadb.run(prd, PRD)
    if dev_sql:
        mariadb.run(dev, dev_sql)
    return prd, dev


@pytest.mark.parametrize("layout", LAYOUTS)
def test_tables_created_and_dropped_round_trip_in_every_layout(mariadb, tmp_path, layout):
    prd, dev = pair(mariadb)
    before = create_tables(mariadb, dev)
    migrate(mariadb, prd, dev, tmp_path, layout, "--drop-extra")
    up, down = layout_scripts(tmp_path, layout, "dev")
    # Parents, children, cycles: every foreign key comes after every create; the keys of
    # the extra tables go before their tables.
    last_create = max(up.index(f"CREATE TABLE `{t}`") for t in "abe")
    assert all(up.index(f"ADD CONSTRAINT `{k}`") > last_create
               for k in ("fk_b_a", "fk_c_a", "fk_d_e", "fk_e_d"))
    assert up.index("DROP FOREIGN KEY `fk_y_x`") < up.index("DROP TABLE `x`")
    assert "WARNING: drops table x and ALL ITS ROWS" in up
    assert "re-creates table x as it was defined (structure only" in down
    apply_sql(dev, up)
    assert compare_all(mariadb, prd, dev).exit_code == 0
    assert create_tables(mariadb, dev) == create_tables(mariadb, prd)
    assert rows(mariadb, dev, "c") == [(1, None, None), (2, 1, None)]
    apply_sql(dev, down)
    assert create_tables(mariadb, dev) == before
    assert rows(mariadb, dev, "c") == [(1, None, None), (2, 1, None)]


def test_without_drop_extra_the_extra_tables_are_held(mariadb, tmp_path):
    prd, dev = pair(mariadb)
    before = create_tables(mariadb, dev)
    migrate(mariadb, prd, dev, tmp_path, "plain")
    up, down = layout_scripts(tmp_path, "plain", "dev")
    assert ("-- table extra x: exists only in this env; not dropped by default (its rows "
            "would be lost)") in up
    assert "\n-- DROP TABLE `x`;" in up and "\nDROP TABLE `x`" not in up
    # The extra tables' own keys stay too: nothing of them is touched.
    assert "fk_y_x" not in up
    apply_sql(dev, up)
    after = create_tables(mariadb, dev)
    assert {k: v for k, v in after.items() if k not in "xy"} == create_tables(mariadb, prd)
    assert after["x"] == before["x"] and after["y"] == before["y"]
    assert rows(mariadb, dev, "y") == [(1, 1)]
    result = compare_all(mariadb, prd, dev)
    assert result.exit_code == 1
    assert {(f["kind"], f["table"], f["action"]) for f in __import__("json").loads(
        result.output)["findings"]} == {("table_extra", "x", "DROP"), ("table_extra", "y", "DROP")}
    apply_sql(dev, down)
    assert create_tables(mariadb, dev) == before


def test_staged_drop_both_steps_and_rollbacks(mariadb, tmp_path):
    # z's key is named by InnoDB after its table (z_ibfk_1): it follows each rename.
    prd, dev = pair(mariadb, DEV + "CREATE TABLE z (id INT PRIMARY KEY, x_id INT, "
                    "FOREIGN KEY (x_id) REFERENCES x (id));")
    before = create_tables(mariadb, dev)
    migrate(mariadb, prd, dev, tmp_path, "plain", "--drop-extra", "--staged-drop")
    up1, down1 = layout_scripts(tmp_path, "plain", "dev")
    up2, down2 = layout_scripts(tmp_path, "plain", "dev.step2")
    assert "RENAME TABLE `x` TO `_indexdrift_dropped_x_20261207`;" in up1
    assert "DROP TABLE" not in up1 and "staged drop, step 1 of 2: renames 3 table(s)" in up1
    assert "DROP TABLE `_indexdrift_dropped_x_20261207`;" in up2
    assert "DROP FOREIGN KEY `_indexdrift_dropped_z_20261207_ibfk_1`" in up2
    apply_sql(dev, up1)
    staged = create_tables(mariadb, dev)
    assert {"_indexdrift_dropped_x_20261207", "_indexdrift_dropped_y_20261207"} <= set(staged)
    assert rows(mariadb, dev, "_indexdrift_dropped_y_20261207") == [(1, 1)]
    apply_sql(dev, up2)
    assert compare_all(mariadb, prd, dev).exit_code == 0
    assert create_tables(mariadb, dev) == create_tables(mariadb, prd)
    apply_sql(dev, down2)
    assert create_tables(mariadb, dev) == staged
    apply_sql(dev, down1)
    assert create_tables(mariadb, dev) == before


def test_rolling_back_step_one_alone_gives_the_rows_back(mariadb, tmp_path):
    prd, dev = pair(mariadb)
    before = create_tables(mariadb, dev)
    migrate(mariadb, prd, dev, tmp_path, "liquibase", "--drop-extra", "--staged-drop")
    up1, down1 = layout_scripts(tmp_path, "liquibase", "dev")
    apply_sql(dev, up1)
    apply_sql(dev, down1)
    assert create_tables(mariadb, dev) == before
    assert rows(mariadb, dev, "y") == [(1, 1)] and rows(mariadb, dev, "x") == [(1, "one")]


def test_an_env_without_tables_gets_every_table(mariadb, tmp_path):
    prd, dev = pair(mariadb, "")
    # Comparing indexes only, an empty schema is still an error (a weak account).
    refused = CliRunner().invoke(cli, ["compare", f"prd={mariadb.url(prd)}",
                                       f"dev={mariadb.url(dev)}", "--no-usage"])
    assert isinstance(refused.exception, SourceError)
    assert "shows no tables" in str(refused.exception)
    report = CliRunner().invoke(cli, ["compare", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--no-usage",
                                      "--objects", "tables", "--format", "md"])
    assert report.exit_code == 1
    assert ("dev has no tables: every table will be created; check the account sees the "
            "schema") in report.output
    migrate(mariadb, prd, dev, tmp_path, "golang-migrate")
    up, down = layout_scripts(tmp_path, "golang-migrate", "dev")
    assert "-- dev has no tables: every table will be created" in up
    apply_sql(dev, up)
    assert compare_all(mariadb, prd, dev).exit_code == 0
    assert create_tables(mariadb, dev) == create_tables(mariadb, prd)
    apply_sql(dev, down)
    assert create_tables(mariadb, dev) == {}


def test_a_key_the_run_keeps_holds_the_drop_of_its_parent(mariadb, tmp_path):
    prd, dev = pair(mariadb)
    # c keeps a key to x that --objects tables does not drop (foreign keys not compared).
    mariadb.run(dev, "ALTER TABLE c ADD COLUMN x_id INT, ADD KEY ix_x (x_id), "
                     "ADD CONSTRAINT fk_c_x FOREIGN KEY (x_id) REFERENCES x (id)")
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--objects", "tables",
                                      "--no-usage", "--stdout", "--drop-extra"])
    assert result.exit_code == 0, result.output
    up = result.output
    assert ("-- table extra x: NOT APPLIED: table c keeps its foreign key fk_c_x to it, "
            "which this migration does not drop") in up
    assert "DROP TABLE `x`" not in up and "DROP TABLE `y`;" in up
    apply_sql(dev, up)  # runs: nothing it writes fails


def test_with_objects_indexes_tables_are_only_reported(mariadb):
    prd, dev = pair(mariadb)
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--no-usage", "--stdout",
                                      "--drop-extra"])
    assert result.exit_code == 0, result.output
    assert "CREATE TABLE" not in result.output and "DROP TABLE" not in result.output
    assert ("-- table a missing in dev: not created here (compare and migrate with "
            "--objects tables, or all, to create it)") in result.output
    # A foreign key to a table the env lacks names the --objects that would create it.
    keys = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                    f"dev={mariadb.url(dev)}", "--no-usage", "--stdout",
                                    "--objects", "indexes,foreign_keys"])
    assert ("-- foreign key missing fk_c_a: NOT APPLIED: its parent table a is not in this "
            "env; compare and migrate with --objects tables (or all) to create it first"
            ) in keys.output
    apply_sql(dev, keys.output)


def test_a_kept_tables_extra_key_to_a_dropped_table_goes_first(mariadb, tmp_path):
    prd, dev = pair(mariadb, DEV + "ALTER TABLE c ADD COLUMN x_id INT, ADD KEY ix_x (x_id), "
                    "ADD CONSTRAINT fk_c_x FOREIGN KEY (x_id) REFERENCES x (id);")
    before = create_tables(mariadb, dev)
    migrate(mariadb, prd, dev, tmp_path, "plain", "--drop-extra")
    up, down = layout_scripts(tmp_path, "plain", "dev")
    assert up.index("DROP FOREIGN KEY `fk_c_x`") < up.index("DROP TABLE `x`")
    apply_sql(dev, up)
    assert compare_all(mariadb, prd, dev).exit_code == 0
    assert create_tables(mariadb, dev) == create_tables(mariadb, prd)
    apply_sql(dev, down)
    assert create_tables(mariadb, dev) == before
