"""Edge cases a MariaDB DBA meets, each run end to end on the real server: migrate, apply
the script with the mariadb client, zero drift, apply the rollback, the original state."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from test_migrate_mariadb import (
    apply_sql,
    findings_of,
    index_state,
    layout_scripts,
    mariadb_pair,
)

from indexdrift.cli.main import cli
from indexdrift.ddl.layouts import LAYOUTS

pytestmark = pytest.mark.mariadb


def round_trip(mariadb, tmp_path, prd_sql: str, dev_sql: str, *options: str) -> str:
    """Migrate dev towards prd, apply up (zero drift) and down (original findings and
    indexes); returns the up script for shape checks."""
    prd, dev = mariadb_pair(mariadb, prd_sql, dev_sql)
    original = findings_of(mariadb, prd, dev)
    assert original
    before = index_state(mariadb, dev)
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--out", str(tmp_path),
                                      "--version", "1", *options])
    assert result.exit_code == 0, result.output
    up = (tmp_path / "dev.sql").read_text()
    apply_sql(dev, up)
    staged = tmp_path / "dev.step2.sql"
    if staged.exists():
        apply_sql(dev, staged.read_text())
    assert findings_of(mariadb, prd, dev) == set()
    if staged.exists():
        apply_sql(dev, (tmp_path / "dev.step2.rollback.sql").read_text())
    apply_sql(dev, (tmp_path / "dev.rollback.sql").read_text())
    assert findings_of(mariadb, prd, dev) == original
    assert index_state(mariadb, dev) == before
    return up


# A UNIQUE key on a TEXT column is a "long unique" key on MariaDB: a hidden hash column
# enforces it, and while the table has one InnoDB refuses ALGORITHM=INPLACE / LOCK=NONE
# for every other index change (error 1846).
LONG_UNIQUE_PRD = """
CREATE TABLE pages (id INT PRIMARY KEY, a INT, url TEXT, UNIQUE KEY uq_url (url),
  KEY ix_a (a)) ENGINE=InnoDB;
CREATE TABLE docs (id INT PRIMARY KEY, body TEXT, UNIQUE KEY uq_body (body)) ENGINE=InnoDB;
"""
LONG_UNIQUE_DEV = """
CREATE TABLE pages (id INT PRIMARY KEY, a INT, url TEXT, UNIQUE KEY uq_url (url)) ENGINE=InnoDB;
CREATE TABLE docs (id INT PRIMARY KEY, body TEXT, KEY ix_body (body(10))) ENGINE=InnoDB;
"""


@pytest.mark.parametrize("options", [("--drop-extra",), ("--drop-extra", "--staged-drop"),
                                     ("--drop-extra", "--online", "off")])
def test_tables_with_a_long_unique_key_get_no_in_place_promise(mariadb, tmp_path, options):
    up = round_trip(mariadb, tmp_path, LONG_UNIQUE_PRD, LONG_UNIQUE_DEV, *options)
    assert "ADD INDEX `ix_a` (`a`)" in up


# Identifiers may hold newlines. Every comment line the scripts write (notes, pre-checks,
# held-back reasons, headers) must stay a comment, or the rest of the name runs as SQL.
NEWLINE_PRD = """
CREATE TABLE t1 (id INT PRIMARY KEY, `a
b` INT, c INT, UNIQUE KEY uq_ab (`a
b`)) ENGINE=InnoDB;
"""
NEWLINE_DEV = """
CREATE TABLE t1 (id INT PRIMARY KEY, `a
b` INT, c INT, KEY `ix
; DROP TABLE t1; --` (c)) ENGINE=InnoDB;
"""


@pytest.mark.parametrize("layout", LAYOUTS)
def test_names_with_newlines_stay_inside_comments(mariadb, tmp_path, layout):
    prd, dev = mariadb_pair(mariadb, NEWLINE_PRD, NEWLINE_DEV)
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--out", str(tmp_path),
                                      "--layout", layout, "--version", "1", "--explain"])
    if layout in ("flyway", "liquibase"):
        # Their tools read the file before the server: a name with a line break is refused
        # (tests/test_security_directives.py), and nothing is written.
        assert "holds a line break" in str(result.exception)
        assert not list(tmp_path.rglob("*.*"))
        return
    assert result.exit_code == 0, result.output
    for path in tmp_path.rglob("*.*"):
        for line in path.read_text().splitlines():
            if "DROP TABLE" in line:
                assert line.startswith("--"), f"{path.name}: {line!r}"
    up, _ = layout_scripts(tmp_path, layout, "dev")
    apply_sql(dev, up)
    assert findings_of(mariadb, prd, dev) == {("extra", "t1", "ix\n; DROP TABLE t1; --", ())}


# Without a primary key InnoDB clusters on the first UNIQUE NOT NULL index, and MariaDB
# treats it as the primary key: it cannot be IGNORED in the statement that adds the real
# one (error 4174), nor made NOT IGNORED in the rollback's DROP PRIMARY KEY.
IMPLICIT_PK_PRD = """
CREATE TABLE np (id INT NOT NULL, v INT NOT NULL, PRIMARY KEY (v),
  UNIQUE KEY uq_id (id) IGNORED) ENGINE=InnoDB;
"""
IMPLICIT_PK_DEV = """
CREATE TABLE np (id INT NOT NULL, v INT NOT NULL, UNIQUE KEY uq_id (id)) ENGINE=InnoDB;
INSERT INTO np VALUES (1, 1), (2, 2);
"""


def test_visibility_of_the_implicit_primary_key_changes_apart_from_the_real_one(mariadb,
                                                                                tmp_path):
    up = round_trip(mariadb, tmp_path, IMPLICIT_PK_PRD, IMPLICIT_PK_DEV)
    assert up.count("ALTER TABLE `np`") == 2


def test_staged_drop_hides_the_implicit_primary_key_apart_from_the_real_one(mariadb,
                                                                           tmp_path):
    prd = "CREATE TABLE np (id INT NOT NULL, v INT NOT NULL, PRIMARY KEY (v)) ENGINE=InnoDB;"
    dev = "CREATE TABLE np (id INT NOT NULL, v INT NOT NULL, UNIQUE KEY uq_id (id)) ENGINE=InnoDB;"
    round_trip(mariadb, tmp_path, prd, dev, "--drop-extra", "--staged-drop")


def test_generated_column_redefinition_applies(mariadb):
    """MariaDB takes no NULL / NOT NULL on a generated column (syntax error 1064)."""
    prd, dev = mariadb_pair(
        mariadb,
        "CREATE TABLE gen (id INT PRIMARY KEY, a INT, b INT, "
        "s INT AS (a + b) VIRTUAL, st INT AS (a * b) STORED, KEY ix_s (s));",
        "CREATE TABLE gen (id INT PRIMARY KEY, a INT, b INT, "
        "s INT AS (a - b) VIRTUAL, st INT AS (a * 2) STORED, KEY ix_s (s));")
    args = ["migrate", f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--stdout",
            "--objects", "indexes,columns"]
    up = CliRunner().invoke(cli, args)
    down = CliRunner().invoke(cli, [*args, "--rollback"])
    assert up.exit_code == 0 and down.exit_code == 0, up.output + down.output
    assert "MODIFY COLUMN `s`" in up.output and "MODIFY COLUMN `st`" in up.output
    apply_sql(dev, up.output)
    same = CliRunner().invoke(cli, ["compare", f"prd={mariadb.url(prd)}",
                                    f"dev={mariadb.url(dev)}", "--objects", "indexes,columns"])
    assert same.exit_code == 0, same.output
    apply_sql(dev, down.output)
    back = CliRunner().invoke(cli, ["compare", f"prd={mariadb.url(prd)}",
                                    f"dev={mariadb.url(dev)}", "--objects", "columns"])
    assert back.exit_code == 1 and "a - b" in back.output.replace("`", "")


def test_primary_key_precheck_lists_rows_with_null_key_columns(mariadb):
    """ADD PRIMARY KEY fails on a NULL in a key column (error 1265) as surely as on a
    duplicate: the pre-check that must return no rows has to show those rows too."""
    prd, dev = mariadb_pair(
        mariadb,
        "CREATE TABLE pk (id INT NOT NULL, v INT, name VARCHAR(20) NOT NULL, "
        "PRIMARY KEY (id, v, name(3)));",
        "CREATE TABLE pk (id INT NOT NULL, v INT, name VARCHAR(20));"
        "INSERT INTO pk VALUES (1, NULL, 'abcd'), (2, 3, 'x'), (3, 4, 'y');")
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--stdout"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    check = lines[lines.index(next(x for x in lines if "PRE-CHECK for PRIMARY KEY" in x)) + 1]
    rows = mariadb.query(check.removeprefix("--").strip().replace("FROM `pk`",
                                                                   f"FROM `{dev}`.`pk`"))
    assert [row[:3] for row in rows] == [(1, None, "abc")]
