"""`indexdrift lint --objects foreign_keys` on real MariaDB and SQLite: InnoDB's own index
serves its keys; a snapshot without it (a prefix index only) gets the ALTER TABLE that
MariaDB runs; SQLite's rowid serves a key on it, any other key needs an index."""

from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli

MARIADB_SCHEMA = """
CREATE TABLE p (id INT PRIMARY KEY, code VARCHAR(40) NOT NULL, UNIQUE KEY uq_code (code));
CREATE TABLE c (id INT PRIMARY KEY, pid INT, code VARCHAR(40), x INT,
  KEY code_prefix (code(10)), KEY pid_x (pid, x),
  CONSTRAINT fk_c_pid FOREIGN KEY (pid) REFERENCES p (id),
  CONSTRAINT fk_c_code FOREIGN KEY (code) REFERENCES p (code));
"""


def lint_json(source: str, *extra: str) -> tuple[int, dict]:
    result = CliRunner().invoke(cli, ["lint", source, "--format", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


def unindexed(doc: dict) -> dict[str, str | None]:
    return {fk: a["statement"] for a in doc["advisories"]
            if a["kind"] == "unindexed_foreign_key" for fk in a["foreign_keys"]}


@pytest.mark.mariadb
def test_mariadb_innodb_index_serves_and_a_snapshot_without_it_gets_the_alter(
        mariadb, tmp_path):
    db = mariadb.create_db("fklint")
    mariadb.run(db, MARIADB_SCHEMA)
    # InnoDB added an index for fk_c_code (its prefix index cannot serve it); pid_x serves
    # fk_c_pid. Nothing to add.
    code, doc = lint_json(mariadb.url(db), "--objects", "all")
    assert (code, unindexed(doc)) == (0, {}), doc
    # A snapshot where the key's own index is gone (as a hand-edited or an older file may
    # show it): only the prefix index is left, which does not serve the key.
    snap = tmp_path / "c.json"
    result = CliRunner().invoke(cli, ["snapshot", mariadb.url(db), "-o", str(snap),
                                      "--objects", "foreign_keys"])
    assert result.exit_code == 0, result.output
    data = json.loads(snap.read_text())
    child = next(t for t in data["tables"] if t["name"] == "c")
    assert {ix["name"] for ix in child["indexes"]} == {"PRIMARY", "code_prefix", "pid_x",
                                                        "fk_c_code"}
    child["indexes"] = [ix for ix in child["indexes"] if ix["name"] != "fk_c_code"]
    snap.write_text(json.dumps(data))
    code, doc = lint_json(str(snap))
    assert unindexed(doc) == {}  # a snapshot is linted for the keys it holds when asked
    code, doc = lint_json(str(snap), "--objects", "foreign_keys")
    statement = unindexed(doc)["fk_c_code"]
    assert code == 1 and statement == ("ALTER TABLE `c`\n  ADD INDEX `c_code_idx` (`code`),\n"
                                       "  ALGORITHM=INPLACE, LOCK=NONE;")
    # The statement runs on MariaDB as written.
    mariadb.run(db, statement)
    assert ("c_code_idx",) in mariadb.query(
        "SELECT index_name FROM information_schema.statistics WHERE table_schema = %s "
        "AND table_name = 'c'", (db,))


def _sqlite(path, sql: str) -> str:
    conn = sqlite3.connect(path)
    conn.executescript(sql)
    conn.close()
    return f"sqlite:///{path}"


SQLITE_SCHEMA = """
CREATE TABLE p (id INTEGER PRIMARY KEY, code TEXT UNIQUE);
CREATE TABLE one (id INTEGER PRIMARY KEY REFERENCES p (id), note TEXT);
CREATE TABLE c (id INTEGER PRIMARY KEY, pid INT REFERENCES p (id),
  code TEXT COLLATE NOCASE REFERENCES p (code), x INT);
CREATE INDEX c_code ON c (code);
CREATE TABLE partial (id INTEGER PRIMARY KEY, pid INT REFERENCES p (id));
CREATE INDEX partial_pid ON partial (pid) WHERE pid > 0;
CREATE TABLE expr (id INTEGER PRIMARY KEY, pid INT REFERENCES p (id));
CREATE INDEX expr_pid ON expr (pid + 0);
CREATE TABLE longer (id INTEGER PRIMARY KEY, pid INT REFERENCES p (id), x INT);
CREATE INDEX longer_pid_x ON longer (pid, x);
"""


def test_sqlite_rowid_serves_other_keys_get_a_create_index_that_fixes_them(tmp_path):
    path = tmp_path / "fk.db"
    url = _sqlite(path, SQLITE_SCHEMA)
    code, doc = lint_json(url, "--objects", "foreign_keys")
    found = unindexed(doc)
    # one.id is the rowid; c.code's index has the column's own collation (NOCASE);
    # longer_pid_x leads with pid.
    assert code == 1 and set(found) == {"fk_c_pid", "fk_partial_pid", "fk_expr_pid"}, doc
    assert found["fk_c_pid"] == 'CREATE INDEX "c_pid_idx" ON "c" ("pid");'
    assert doc["foreign_keys_not_judged"] == 0
    # Read as a plain file the columns are not read: keys that may be on the rowid are
    # not judged (and said so), never reported on a guess.
    text = CliRunner().invoke(cli, ["lint", str(path), "--objects", "foreign_keys",
                                    "--lang", "en"])
    assert "were not judged" in text.output, text.output
    conn = sqlite3.connect(path)
    conn.executescript("\n".join(found.values()))
    conn.close()
    code, doc = lint_json(url, "--objects", "all")
    assert (code, unindexed(doc)) == (0, {}), doc
