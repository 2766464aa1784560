"""Migrations on the real MariaDB: up converges to zero drift, down restores exactly."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from mariadb_apply import apply_sql, layout_scripts

from indexdrift.cli.main import cli
from indexdrift.compare.tables import compare
from indexdrift.ddl.layouts import LAYOUTS
from indexdrift.sources import open_source

pytestmark = pytest.mark.mariadb

PRD = r"""
CREATE TABLE `we``ird` (
  id INT PRIMARY KEY, `a``b` INT, `회원명` VARCHAR(50), note TEXT, body TEXT,
  g POINT NOT NULL,
  KEY `idx``tick` (`a``b`),
  KEY `idx_회원명` (`회원명`(10)) COMMENT 'it''s a \\ comment',
  FULLTEXT KEY ft_body (body),
  SPATIAL KEY sp_g (g)
) ENGINE=InnoDB;
CREATE TABLE orders (
  id INT NOT NULL, tenant INT NOT NULL, user_id INT, created DATETIME, status INT,
  code VARCHAR(20),
  PRIMARY KEY (tenant, id),
  UNIQUE KEY uq_code (code),
  KEY idx_user_created (user_id, created DESC),
  KEY idx_status (status) IGNORED,
  KEY idx_renamed (created),
  KEY `select` (status, code)
) ENGINE=InnoDB;
CREATE TABLE mem (id INT PRIMARY KEY, token CHAR(32), KEY idx_token (token) USING HASH)
  ENGINE=MEMORY;
"""

DEV = r"""
CREATE TABLE `we``ird` (
  id INT PRIMARY KEY, `a``b` INT, `회원명` VARCHAR(50), note TEXT, body TEXT,
  g POINT NOT NULL,
  KEY `idx_회원명` (`회원명`(10)) COMMENT 'plain',
  KEY idx_extra (note(5))
) ENGINE=InnoDB;
CREATE TABLE orders (
  id INT NOT NULL, tenant INT NOT NULL, user_id INT, created DATETIME, status INT,
  code VARCHAR(20),
  PRIMARY KEY (id),
  KEY uq_code (code),
  KEY idx_user_created (created, user_id),
  KEY idx_status (status),
  KEY idx_old_name (created) IGNORED
) ENGINE=InnoDB;
CREATE TABLE mem (id INT PRIMARY KEY, token CHAR(32), KEY idx_token (token) USING BTREE)
  ENGINE=MEMORY;
INSERT INTO orders VALUES (1, 1, 1, NOW(), 1, 'a'), (2, 1, 2, NOW(), 2, 'b');
"""


def findings_of(mariadb, prd: str, dev: str):
    snaps = {"prd": open_source(mariadb.url(prd), "prd"),
             "dev": open_source(mariadb.url(dev), "dev")}
    return {(f.kind, f.table, f.index, tuple(f.changes)) for f in compare(snaps, "prd").findings}


def mariadb_pair(mariadb, prd_sql: str, dev_sql: str) -> tuple[str, str]:
    """Two new databases, prd and dev, each set up by its SQL: their names."""
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, prd_sql)
    mariadb.run(dev, dev_sql)
    return prd, dev


def index_state(mariadb, db: str):
    snap = open_source(mariadb.url(db), "x")
    return {t: {k: ix.full_key() for k, ix in table.indexes.items()}
            for t, table in snap.tables.items()}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_round_trip_every_layout(mariadb, tmp_path, layout):
    prd, dev = mariadb_pair(mariadb, PRD, DEV)
    original = findings_of(mariadb, prd, dev)
    assert {k for k, *_ in original} == {"missing", "extra", "changed", "renamed"}
    before = index_state(mariadb, dev)
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--out", str(tmp_path),
                                      "--layout", layout, "--drop-extra", "--version", "7"])
    assert result.exit_code == 0, result.output
    up, down = layout_scripts(tmp_path, layout, "dev")
    apply_sql(dev, up)
    assert findings_of(mariadb, prd, dev) == set()
    apply_sql(dev, down)
    assert findings_of(mariadb, prd, dev) == original
    assert index_state(mariadb, dev) == before


def test_script_shape(mariadb, tmp_path):
    prd, dev = mariadb_pair(mariadb, PRD, DEV)
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--stdout"])
    assert result.exit_code == 0, result.output
    up = result.output
    # one ALTER per table, plus the visibility change that cannot share the rename's statement
    assert up.count("ALTER TABLE `orders`") == 2
    assert "RENAME INDEX `idx_old_name` TO `idx_renamed`" in up
    assert "ALTER INDEX `idx_renamed` NOT IGNORED" not in up.split("RENAME INDEX")[0]
    assert "DROP PRIMARY KEY,\n  ADD PRIMARY KEY (`tenant`, `id`)" in up
    assert "ADD INDEX `idx``tick` (`a``b`)" in up
    assert "COMMENT 'it''s a \\\\ comment'" in up
    assert "LOCK=SHARED" in up  # FULLTEXT / SPATIAL adds
    assert "/*!" not in up
    assert "-- ALTER TABLE `we``ird`\n--   DROP INDEX `idx_extra`" in up  # not dropped by default
    assert "PRE-CHECK for UNIQUE uq_code" in up
    mem = up.split("ALTER TABLE `mem`")[1].split(";")[0]
    assert "USING HASH" in mem and "ALGORITHM" not in mem  # MEMORY: no in-place promise


def test_existing_files_are_not_overwritten(mariadb, tmp_path):
    prd, dev = mariadb_pair(mariadb, PRD, DEV)
    args = ["migrate", f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--out",
            str(tmp_path), "--version", "1"]
    assert CliRunner().invoke(cli, args).exit_code == 0
    (tmp_path / "dev.sql").write_text("-- edited by hand\n")
    second = CliRunner().invoke(cli, args)
    assert second.exit_code != 0 and "--force" in str(second.exception)
    assert (tmp_path / "dev.sql").read_text() == "-- edited by hand\n"
    assert CliRunner().invoke(cli, [*args, "--force"]).exit_code == 0
    assert "ALTER TABLE" in (tmp_path / "dev.sql").read_text()


UNSAFE_PRD = """
CREATE TABLE parent (id INT PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE child (id INT PRIMARY KEY, parent_id INT) ENGINE=InnoDB;
CREATE TABLE seq (id INT NOT NULL, v INT) ENGINE=InnoDB;
CREATE TABLE nopk (id INT NOT NULL, v INT, KEY ix_v (v)) ENGINE=InnoDB;
"""

UNSAFE_DEV = """
CREATE TABLE parent (id INT PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, KEY ix_parent (parent_id),
  CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB;
CREATE TABLE seq (id INT NOT NULL AUTO_INCREMENT, v INT, KEY ix_id (id)) ENGINE=InnoDB;
CREATE TABLE nopk (id INT NOT NULL, v INT, PRIMARY KEY (id), KEY ix_v (v)) ENGINE=InnoDB;
"""


def test_unsafe_drops_are_refused_with_reasons(mariadb):
    prd, dev = mariadb_pair(mariadb, UNSAFE_PRD, UNSAFE_DEV)
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--stdout", "--drop-extra"])
    assert result.exit_code == 0, result.output
    up = result.output
    executable = [line for line in up.splitlines() if line and not line.startswith("--")]
    assert executable == []
    assert "REFUSED: foreign key fk_parent (parent_id) needs this index" in up
    assert "REFUSED: the AUTO_INCREMENT column id must lead an index" in up
    assert "REFUSED: dropping the primary key without a replacement" in up
    apply_sql(dev, up)  # a script of comments applies cleanly and changes nothing


def test_fk_index_replaced_in_the_same_statement_is_allowed(mariadb):
    prd, dev = mariadb_pair(mariadb, """
        CREATE TABLE parent (id INT PRIMARY KEY) ENGINE=InnoDB;
        CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, at INT,
          KEY ix_parent_at (parent_id, at),
          CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB;""",
        """
        CREATE TABLE parent (id INT PRIMARY KEY) ENGINE=InnoDB;
        CREATE TABLE child (id INT PRIMARY KEY, parent_id INT, at INT, KEY ix_parent (parent_id),
          CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES parent (id)) ENGINE=InnoDB;""")
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--stdout", "--drop-extra"])
    up = result.output
    assert "DROP INDEX `ix_parent`" in up and "REFUSED" not in up
    apply_sql(dev, up)
    assert findings_of(mariadb, prd, dev) == set()


def test_large_tables_get_online_schema_change_advice(mariadb):
    prd, dev = mariadb_pair(mariadb, PRD, DEV)
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--stdout",
                                      "--large-table", "1"])
    assert result.exit_code == 0, result.output
    up = result.output
    assert "pt-online-schema-change --alter 'DROP PRIMARY KEY, ADD PRIMARY KEY (`tenant`, " \
           "`id`)," in up
    assert f"D={dev},t=orders --execute" in up
    assert f"gh-ost --database={dev} --table=orders" in up
    # LOCK=NONE statements stay; one that would block writes (FULLTEXT/SPATIAL) is commented
    assert "\nALTER TABLE `orders`\n  DROP PRIMARY KEY" in up
    assert "-- ALTER TABLE `we``ird`\n--   DROP INDEX `idx_회원명`" in up
    assert "would block writes on this large table" in up
