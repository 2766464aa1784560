"""`indexdrift lint` on the real MariaDB, side by side with pt-duplicate-key-checker."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from conftest import MARIADB

from indexdrift.cli.main import cli

pytestmark = pytest.mark.mariadb

SCHEMA = """
CREATE TABLE t_prefix (id INT PRIMARY KEY, a INT, b INT, KEY idx_a (a), KEY idx_a_b (a, b));
CREATE TABLE t_dup (id INT PRIMARY KEY, a INT, b INT, KEY k1 (a, b), KEY k2 (a, b));
CREATE TABLE t_unique (id INT PRIMARY KEY, a INT, b INT, c INT, UNIQUE KEY uq_id (id),
  UNIQUE KEY uq_a (a), KEY idx_a_b (a, b), KEY idx_c (c), UNIQUE KEY uq_c (c),
  UNIQUE KEY uq_b (b), UNIQUE KEY uq_b_a (b, a));
CREATE TABLE t_prefixlen (id INT PRIMARY KEY, name VARCHAR(100), x INT,
  KEY n10 (name(10)), KEY n20_x (name(20), x));
CREATE TABLE t_desc (id INT PRIMARY KEY, a INT, b INT, KEY a_b (a, b), KEY a_desc (a DESC));
CREATE TABLE t_invisible (id INT PRIMARY KEY, a INT, b INT, KEY vis (a),
  KEY inv_a_b (a, b) IGNORED);
CREATE TABLE t_fulltext (id INT PRIMARY KEY, title VARCHAR(200), body TEXT,
  FULLTEXT KEY ft_title_body (title, body), FULLTEXT KEY ft_title (title));
CREATE TABLE t_parent (id INT PRIMARY KEY);
CREATE TABLE t_child (id INT PRIMARY KEY, pid INT, x INT, KEY fk_pid (pid), KEY pid_x (pid, x),
  CONSTRAINT fk_child_parent FOREIGN KEY (pid) REFERENCES t_parent (id));
CREATE TABLE t_clustered (id INT PRIMARY KEY, a INT, KEY a_id (a, id));
"""

# (table, index, covering index) indexdrift reports on SCHEMA.
EXPECTED = {
    ("t_prefix", "idx_a", "idx_a_b"),
    ("t_dup", "k2", "k1"),
    ("t_unique", "uq_id", "PRIMARY"),
    ("t_unique", "idx_c", "uq_c"),
    ("t_child", "fk_pid", "pid_x"),
}

# Keys pt-duplicate-key-checker reports that indexdrift does not, and the stricter rule
# that explains each difference:
# - t_invisible.vis: pt-dkc calls it a left prefix of inv_a_b, but inv_a_b is IGNORED: the
#   optimizer cannot use it, so dropping vis would lose every lookup on `a`. A visible
#   index is never redundant to an invisible one.
# - t_clustered.a_id: pt-dkc's "ends with a prefix of the clustered index" advice is to
#   shorten the index (DROP and re-ADD without `id`), not to drop it: no other index covers
#   (a, id), so it is not redundant.
EXPLAINED = {("t_invisible", "vis"), ("t_clustered", "a_id")}


def lint_json(mariadb, db) -> dict:
    result = CliRunner().invoke(cli, ["lint", mariadb.url(db), "--format", "json"])
    assert result.exit_code == 1, result.output
    return json.loads(result.output)


def test_lint_reports_each_strict_case_with_its_cover(mariadb):
    db = mariadb.create_db("lint")
    mariadb.run(db, SCHEMA)
    doc = lint_json(mariadb, db)
    got = {(a["table"], a["index"], a["covered_by"]) for a in doc["advisories"]}
    assert got == EXPECTED
    child = next(a for a in doc["advisories"] if a["table"] == "t_child")
    assert child["foreign_keys"] == ["fk_child_parent"]


def test_lint_text_and_clean_schema_exit_code(mariadb):
    db = mariadb.create_db("lintclean")
    mariadb.run(db, "CREATE TABLE t (id INT PRIMARY KEY, a INT, KEY idx_a (a))")
    result = CliRunner().invoke(cli, ["lint", mariadb.url(db), "--lang", "en"])
    assert result.exit_code == 0
    assert "no duplicate or redundant indexes" in result.output


def test_compare_shows_advisories_without_changing_the_exit_code(mariadb):
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    for db in (prd, dev):
        mariadb.run(db, "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY idx_a (a), "
                        "KEY idx_a_b (a, b))")
    runner = CliRunner()
    args = ["compare", f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--no-usage"]
    result = runner.invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["findings"] == []
    assert [a["covered_by"] for a in doc["advisories"]["dev"]] == ["idx_a_b"]
    table = runner.invoke(cli, [*args, "--lang", "en"])
    assert table.exit_code == 0
    assert "t.idx_a (a) is redundant to idx_a_b (a, b)" in table.output


def pt_duplicate_keys(db: str) -> set[tuple[str, str]]:
    """(table, key) pairs pt-duplicate-key-checker reports."""
    tool = shutil.which("pt-duplicate-key-checker")
    if tool is None:
        pytest.skip("pt-duplicate-key-checker is not installed (Debian: percona-toolkit)")
    dsn = f"h={MARIADB['host']},P={MARIADB['port']},u={MARIADB['user']}"
    proc = subprocess.run([tool, dsn, "--databases", db], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    found: set[tuple[str, str]] = set()
    table = None
    for line in proc.stdout.splitlines():
        if m := re.match(rf"^# {re.escape(db)}\.(\S+)\s*$", line):
            table = m.group(1)
        elif m := re.match(r"^# (\S+) is a (?:duplicate|left-prefix) of ", line):
            found.add((table, m.group(1)))
        elif m := re.match(r"^# Key (\S+) ends with a prefix of the clustered index", line):
            found.add((table, m.group(1)))
    return found


def test_every_key_pt_duplicate_key_checker_reports_is_reported_or_explained(mariadb):
    db = mariadb.create_db("ptdkc")
    mariadb.run(db, SCHEMA)
    theirs = pt_duplicate_keys(db)
    ours = {(t, i) for t, i, _ in EXPECTED}
    assert theirs, "pt-duplicate-key-checker reported nothing: the parser is out of date"
    assert theirs - ours == EXPLAINED
    # And indexdrift reports nothing pt-duplicate-key-checker misses on this schema.
    assert ours <= theirs
