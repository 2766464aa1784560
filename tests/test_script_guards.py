"""Scripts that say where they run and stop before harm (issue 16, items 2, 4, 5, 6): the
database guard and lock wait limit at the top, ``--guard`` and Liquibase preconditions for
the duplicate-rows pre-checks, the risk list and why lines, and envs of different
database families refused. Real MariaDB and PostgreSQL, their own clients."""

from __future__ import annotations

import subprocess

import pytest
from click.testing import CliRunner
from conftest import MARIADB
from liquibase_sql import changelog, liquibase_parts
from mariadb_apply import apply_sql, layout_scripts
from postgres_apply import psql, psql_error

from indexdrift.cli.main import cli, main
from indexdrift.compare.tables import compare
from indexdrift.core.errors import IndexDriftError
from indexdrift.sources import open_source

PRD = """
CREATE TABLE t (id INT PRIMARY KEY, a INT, name VARCHAR(50), UNIQUE KEY ux_a (a),
  KEY ix_n (name(20)));
"""
DEV = """
CREATE TABLE t (id INT PRIMARY KEY, a INT, name VARCHAR(50), KEY ix_n (name(32)));
INSERT INTO t VALUES (1, 1, 'x'), (2, 2, 'y');
"""
PG_PRD = """
CREATE TABLE t (id int PRIMARY KEY, a int, name text);
CREATE UNIQUE INDEX ux_a ON t (a);
CREATE INDEX ix_n ON t (name);
"""
PG_DEV = """
CREATE TABLE t (id int PRIMARY KEY, a int, name text);
CREATE INDEX ix_n ON t (lower(name));
INSERT INTO t VALUES (1, 1, 'x'), (2, 2, 'y');
"""


def migrate(*args: str) -> str:
    result = CliRunner().invoke(cli, ["migrate", "--no-usage", "--version", "7", *args])
    assert result.exit_code == 0, result.output
    return result.output


def mysql_client(db: str, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mariadb", "-h", MARIADB["host"], "-P", str(MARIADB["port"]),
                           "-u", MARIADB["user"], "--default-character-set=utf8mb4", db],
                          input=sql, capture_output=True, text=True)


def mysql_findings(mariadb, prd: str, dev: str) -> set:
    snaps = {"prd": open_source(mariadb.url(prd), "prd"),
             "dev": open_source(mariadb.url(dev), "dev")}
    return {(f.kind, f.index) for f in compare(snaps, "prd").findings}


def pg_findings(postgres, prd: str, dev: str) -> set:
    snaps = {"prd": open_source(postgres.url(prd), "prd"),
             "dev": open_source(postgres.url(dev), "dev")}
    return {(f.kind, f.index) for f in compare(snaps, "prd").findings}


@pytest.fixture
def my_pair(mariadb):
    prd, dev = mariadb.create_db("prd_g16"), mariadb.create_db("dev_g16")
    mariadb.run(prd, PRD)
    mariadb.run(dev, DEV)
    return prd, dev


@pytest.fixture
def pg_pair(postgres):
    prd, dev = postgres.create_db("prd_g16"), postgres.create_db("dev_g16")
    postgres.run(prd, PG_PRD)
    postgres.run(dev, PG_DEV)
    return prd, dev


# --- item 4: the database guard and the lock wait limit ---------------------------------

def test_mariadb_guard_stops_on_another_database_and_applies_on_its_own(mariadb, my_pair,
                                                                         tmp_path):
    prd, dev = my_pair
    other = mariadb.create_db("other_g16")
    mariadb.run(other, DEV)
    migrate(f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--out", str(tmp_path))
    up, down = layout_scripts(tmp_path, "plain", "dev")
    body = [line for line in up.splitlines() if line and not line.startswith("--")]
    assert body[0].startswith("SET SESSION sql_mode = IF(NOT IF(@@lower_case_table_names")
    assert body[1] == "SET SESSION lock_wait_timeout = 10;"
    for script in (up, down):
        failed = mysql_client(other, script)
        assert failed.returncode != 0
        assert f"indexdrift: wrong database - this script is for {dev}" in failed.stderr
        # nothing ran: the other database is untouched
        assert mysql_findings(mariadb, prd, other) == mysql_findings(mariadb, prd, dev)
    # no database chosen at all fails the same way
    assert "wrong database" in mysql_client("", up).stderr
    before = mysql_findings(mariadb, prd, dev)
    mariadb.run(dev, "DELETE FROM t WHERE id = 2")  # no duplicates: the UNIQUE builds
    apply_sql(dev, up)
    assert mysql_findings(mariadb, prd, dev) == set()
    apply_sql(dev, down)
    assert mysql_findings(mariadb, prd, dev) == before


@pytest.mark.parametrize("layout", ["flyway", "liquibase", "golang-migrate"])
def test_mariadb_tool_layouts_carry_the_guard_and_still_converge(mariadb, my_pair, tmp_path,
                                                                 layout):
    prd, dev = my_pair
    migrate(f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--out", str(tmp_path),
            "--layout", layout, "--lock-timeout", "3s")
    up, down = layout_scripts(tmp_path, layout, "dev")
    for script in (up, down):
        assert "SET SESSION lock_wait_timeout = 3;" in script
        assert f"this script is for ', '{dev}'" in script
    apply_sql(dev, up)
    assert mysql_findings(mariadb, prd, dev) == set()
    apply_sql(dev, down)


@pytest.mark.parametrize("mode", ["", "NO_BACKSLASH_ESCAPES"])
def test_mariadb_guard_of_a_hostile_schema_name(mariadb, mode):
    """A name with a quote, a backslash and a comma is a literal, not SQL, under either
    sql_mode: the guard passes in that database and stops elsewhere."""
    name = f"g16_{mode[:2]}x'\\,y"
    with mariadb.admin.cursor() as cur:
        cur.execute("CREATE DATABASE `" + name.replace("`", "``") + "`")
    mariadb.created.append(name)
    prd = mariadb.create_db("prd_g16")
    mariadb.run(prd, PRD)
    mariadb.run(name, DEV.split("INSERT")[0])
    url = mariadb.url(name.replace("%", "%25").replace("'", "%27").replace("\\", "%5C")
                      .replace(",", "%2C"))
    up = migrate(f"prd={mariadb.url(prd)}", f"dev={url}", "--stdout")
    guard = next(line for line in up.splitlines() if line.startswith("SET SESSION sql_mode"))
    assert name not in guard  # written as bytes: the same under any sql_mode
    assert "0x" in guard
    head = f"SET SESSION sql_mode = '{mode}';\n" if mode else ""
    with mariadb.admin.cursor() as cur:
        cur.execute("USE `" + name.replace("`", "``") + "`")
        if mode:
            cur.execute(f"SET SESSION sql_mode = '{mode}'")
        cur.execute(guard)
        cur.execute(f"USE `{prd}`")
        with pytest.raises(mariadb.pymysql.err.MySQLError, match="wrong database"):
            cur.execute(guard)
    failed = mysql_client(prd, head + up)
    assert "wrong database" in failed.stderr


def test_postgres_script_sets_lock_timeout_and_the_rollback_too(postgres, pg_pair, tmp_path):
    prd, dev = pg_pair
    postgres.run(dev, "DELETE FROM t WHERE id = 2")
    migrate(f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}", "--out", str(tmp_path),
            "--lock-timeout", "1500ms", "--drop-extra")
    up = (tmp_path / "dev.sql").read_text()
    down = (tmp_path / "dev.rollback.sql").read_text()
    for script in (up, down):
        body = [line for line in script.splitlines() if line and not line.startswith("--")]
        assert body[0] == "SET lock_timeout = '1500ms';"
    before = pg_findings(postgres, prd, dev)
    psql(dev, up)
    assert pg_findings(postgres, prd, dev) == set()
    psql(dev, down)
    assert pg_findings(postgres, prd, dev) == before


def test_postgres_lock_timeout_stops_a_blocked_statement(postgres, pg_pair):
    """A DDL behind a transaction holding the table fails after the limit instead of
    queueing (the limit is what the script sets)."""
    prd, dev = pg_pair
    up = migrate(f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}", "--stdout",
                 "--lock-timeout", "200ms", "--online", "off")
    postgres.run(dev, "DELETE FROM t WHERE id = 2")
    with postgres.psycopg.connect(dbname=dev, **{k: v for k, v in
                                                 __import__("conftest").POSTGRES.items()}
                                  ) as blocker:
        blocker.execute("LOCK TABLE t IN ACCESS SHARE MODE")
        assert "lock timeout" in psql_error(dev, up)
        blocker.rollback()
    psql(dev, up)


def test_lock_timeout_off_and_bad_values(mariadb, my_pair):
    prd, dev = my_pair
    up = migrate(f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--stdout",
                 "--lock-timeout", "off")
    assert "lock_wait_timeout" not in up and "wrong database" in up
    assert "SET SESSION lock_wait_timeout = 120;" in migrate(
        f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--stdout", "--lock-timeout",
        "2m")
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--stdout",
                                      "--lock-timeout", "soon"])
    assert result.exit_code == 2 and "--lock-timeout" in result.output


# --- item 5: --guard and Liquibase preconditions ----------------------------------------

def test_mariadb_guard_flag_stops_on_duplicates_and_passes_without(mariadb, my_pair):
    prd, dev = my_pair
    up = migrate(f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--stdout", "--guard")
    assert "IF(EXISTS (SELECT `a`, COUNT(*) AS duplicates FROM `t`" in up
    mariadb.run(dev, "UPDATE t SET a = 1")
    failed = mysql_client(dev, up)
    assert "indexdrift: duplicate rows - UNIQUE ux_a on t" in failed.stderr
    assert mysql_findings(mariadb, prd, dev) == {("changed", "ix_n"), ("missing", "ux_a")}
    mariadb.run(dev, "UPDATE t SET a = id")
    apply_sql(dev, up)
    assert mysql_findings(mariadb, prd, dev) == set()


def test_guard_is_for_the_plain_layout(mariadb, my_pair, tmp_path):
    prd, dev = my_pair
    result = CliRunner().invoke(cli, ["migrate", f"prd={mariadb.url(prd)}",
                                      f"dev={mariadb.url(dev)}", "--out", str(tmp_path),
                                      "--layout", "flyway", "--guard"])
    assert result.exit_code == 2 and "preconditions" in result.output


def test_postgres_guard_flag_stops_on_duplicates_and_passes_without(postgres, pg_pair):
    prd, dev = pg_pair
    up = migrate(f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}", "--stdout",
                 "--guard")
    assert "DO $indexdrift$ BEGIN IF EXISTS (SELECT" in up
    postgres.run(dev, "UPDATE t SET a = 1")
    assert "indexdrift: duplicate rows - UNIQUE ux_a on t" in psql_error(dev, up)
    postgres.run(dev, "UPDATE t SET a = id")
    psql(dev, up)
    assert pg_findings(postgres, prd, dev) == set()


def test_postgres_guard_dollar_tag_never_collides(postgres):
    """An index named with the guard's own dollar tag, a quote and a backslash: the tag
    changes, the name stays a name (standard_conforming_strings either way)."""
    name = "ux_$indexdrift$_o'k\\"
    prd, dev = postgres.create_db("prd_g16"), postgres.create_db("dev_g16")
    quoted = '"' + name.replace('"', '""') + '"'
    postgres.run(prd, f"CREATE TABLE t (a int); CREATE UNIQUE INDEX {quoted} ON t (a);")
    postgres.run(dev, "CREATE TABLE t (a int); INSERT INTO t VALUES (1), (1);")
    up = migrate(f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}", "--stdout",
                 "--guard")
    assert "DO $indexdrift_1$ BEGIN" in up
    for setting in ("on", "off"):
        error = psql_error(dev, f"SET standard_conforming_strings = {setting};\n" + up)
        assert "indexdrift: duplicate rows - UNIQUE" in error
    postgres.run(dev, "DELETE FROM t")
    psql(dev, up)
    assert pg_findings(postgres, prd, dev) == set()


def _run_preconditions(run_query, text: str) -> list[int]:
    """Each sql-check's result, as Liquibase runs them before their changesets (each one
    expects 0 and halts the update otherwise)."""
    changesets = changelog(text)
    for cs in changesets:
        assert all(expected == "0" for expected in cs.expected)
        assert (cs.on_fail, cs.on_error) == ("HALT", "HALT") or not cs.preconditions
    return [run_query(query) for cs in changesets for query in cs.preconditions]


def test_liquibase_preconditions_on_mariadb(mariadb, my_pair, tmp_path):
    prd, dev = my_pair
    migrate(f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--out", str(tmp_path),
            "--layout", "liquibase")
    text = next((tmp_path / "dev").iterdir()).read_text()
    assert "--preconditions onFail:HALT onError:HALT" in text
    assert ("--precondition-sql-check expectedResult:0 SELECT COUNT(*) FROM (SELECT `a`, "
            "COUNT(*) AS duplicates FROM `t` WHERE `a` IS NOT NULL GROUP BY `a` HAVING "
            "COUNT(*) > 1) AS indexdrift_duplicates") in text

    def count(query: str) -> int:
        with mariadb.admin.cursor() as cur:
            cur.execute(f"USE `{dev}`")
            cur.execute(query)
            return cur.fetchone()[0]

    assert _run_preconditions(count, text) == [0]
    mariadb.run(dev, "UPDATE t SET a = 1")
    assert _run_preconditions(count, text) == [1]  # Liquibase halts: expectedResult:0
    mariadb.run(dev, "UPDATE t SET a = id")
    up, _ = liquibase_parts(text)
    apply_sql(dev, up)
    assert mysql_findings(mariadb, prd, dev) == set()


def test_liquibase_preconditions_on_postgres(postgres, pg_pair, tmp_path):
    prd, dev = pg_pair
    migrate(f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}", "--out", str(tmp_path),
            "--layout", "liquibase", "--drop-extra")
    text = next((tmp_path / "dev").iterdir()).read_text()
    assert "--preconditions onFail:HALT onError:HALT" in text

    def count(query: str) -> int:
        with postgres.psycopg.connect(dbname=dev, autocommit=True,
                                      **__import__("conftest").POSTGRES) as conn:
            return conn.execute(query).fetchone()[0]

    assert _run_preconditions(count, text) == [0]
    postgres.run(dev, "UPDATE t SET a = 1")
    assert _run_preconditions(count, text) == [1]


# --- item 6: the risk list and the why lines --------------------------------------------

def test_risk_list_and_why_lines_on_mariadb(mariadb, my_pair):
    prd, dev = my_pair
    up = migrate(f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--stdout")
    assert "-- risk of each statement (--explain gives the detail above it):" in up
    line = next(x for x in up.splitlines() if x.startswith("--   1. "))
    assert line.startswith("--   1. in place, writes allowed | t (")
    assert "KiB) | drops index ix_n;" in line
    assert "-- why: dev ix_n (name(32)) → prd (name(20))" in up
    assert "-- why: prd has ux_a UNIQUE (a), dev does not" in up
    ko = migrate(f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--stdout",
                 "--lang", "ko")
    assert "-- 문장별 위험" in ko and "제자리 변경, 쓰기 허용" in ko
    assert "-- 이유: dev ix_n (name(32)) → prd (name(20))" in ko


def test_risk_list_names_data_loss_and_rebuilds(mariadb):
    prd, dev = mariadb.create_db("prd_g16"), mariadb.create_db("dev_g16")
    mariadb.run(prd, "CREATE TABLE t (id INT PRIMARY KEY, a BIGINT)")
    mariadb.run(dev, "CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT)")
    up = migrate(f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--stdout",
                 "--objects", "indexes,columns", "--drop-extra")
    line = next(x for x in up.splitlines() if x.startswith("--   1. "))
    assert "data loss" in line
    apply_sql(dev, up)


def test_risk_list_on_postgres(postgres, pg_pair):
    prd, dev = pg_pair
    up = migrate(f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}", "--stdout",
                 "--drop-extra")
    risks = [x for x in up.splitlines() if x.startswith("--   ") and ". " in x[:10]]
    assert risks and all(" | t | " in x for x in risks)
    assert any("in place, writes allowed | t | builds index" in x
               or "in place, writes allowed | t | creates" in x for x in risks), risks
    assert "-- why: dev ix_n ((lower(name))) → prd (name)" in up
    down = migrate(f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}", "--stdout",
                   "--drop-extra", "--rollback")
    assert "-- risk of each statement" in down


# --- item 2: envs of different database families ----------------------------------------

def test_mysql_and_postgres_envs_are_refused(mariadb, postgres, capsys, monkeypatch):
    my, pg = mariadb.create_db("prd_g16"), postgres.create_db("stg_g16")
    mariadb.run(my, PRD)
    postgres.run(pg, PG_PRD)
    args = [f"prd={mariadb.url(my)}", f"stg={postgres.url(pg)}"]
    for command in (["compare"], ["check"], ["migrate", "--stdout"]):
        monkeypatch.setattr("sys.argv", ["indexdrift", *command, *args])
        with pytest.raises(SystemExit) as exited:
            main()
        assert exited.value.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert "prd (mariadb), stg (postgresql)" in err and "--allow-cross-flavor" in err
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    monkeypatch.setattr("sys.argv", ["indexdrift", "compare", *args])
    with pytest.raises(SystemExit):
        main()
    assert "서로 다른 데이터베이스 계열" in capsys.readouterr().err
    result = CliRunner().invoke(cli, ["compare", *args, "--allow-cross-flavor", "--no-usage"])
    assert result.exit_code == 1, result.output


def test_mysql_and_mariadb_files_stay_allowed_sqlite_does_not(tmp_path, monkeypatch):
    import sqlite3
    from pathlib import Path

    monkeypatch.chdir(Path(__file__).parent.parent)
    mysql_csv = "examples/indexes_prd.csv"
    db = tmp_path / "dev.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INT)")
    runner = CliRunner()
    # a STATISTICS export and a MariaDB target: one family
    ok = runner.invoke(cli, ["compare", mysql_csv, "examples/indexes_dev.csv", "--target",
                             "mariadb:10.11"])
    assert ok.exit_code in (0, 1), ok.output
    # (CliRunner sees the error main() turns into one line and exit 2)
    mixed = runner.invoke(cli, ["compare", f"prd={mysql_csv}", f"dev={db}"])
    assert isinstance(mixed.exception, IndexDriftError)
    assert "prd (mysql), dev (sqlite)" in str(mixed.exception)
    target = runner.invoke(cli, ["migrate", f"prd={mysql_csv}", "dev=examples/indexes_dev.csv",
                                 "--stdout", "--target", "dev=postgresql:15"])
    assert isinstance(target.exception, IndexDriftError)
    assert "env dev is mysql but --target writes postgresql" in str(target.exception)


def test_hostile_names_stay_comments_in_risk_and_why_lines(mariadb, tmp_path):
    """An index name with a quote and SQL, a comment with a line break and SQL after it:
    every piece of the risk and why lines is a comment; the script applies, converges,
    and nothing else runs."""
    prd, dev = mariadb.create_db("prd_g16"), mariadb.create_db("dev_g16")
    for db in (prd, dev):
        mariadb.run(db, "CREATE TABLE keep (id INT PRIMARY KEY)")
    with mariadb.admin.cursor() as cur:
        cur.execute(f"CREATE TABLE `{prd}`.t (id INT PRIMARY KEY, a INT, UNIQUE KEY "
                    "`u'); DROP TABLE keep; --` (a) COMMENT 'x\nDROP TABLE keep; -- ')")
        cur.execute(f"CREATE TABLE `{dev}`.t (id INT PRIMARY KEY, a INT, UNIQUE KEY "
                    "`u'); DROP TABLE keep; --` (a))")
    up = migrate(f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--stdout", "--guard")
    assert "\nDROP TABLE keep" not in up
    assert any(line.startswith("-- why:") and "DROP TABLE keep" in line
               for line in up.splitlines())
    apply_sql(dev, up)
    assert mysql_findings(mariadb, prd, dev) == set()
    assert mariadb.query(f"SELECT COUNT(*) FROM `{dev}`.keep") == [(0,)]


@pytest.mark.parametrize("layout", ["plain", "liquibase"])
def test_a_check_of_a_column_added_with_the_key_is_left_to_its_comment(mariadb, tmp_path,
                                                                       layout):
    """The UNIQUE key comes with its column in one statement: a check run before it could
    not read the column, so --guard and the precondition leave it out; the script applies."""
    prd, dev = mariadb.create_db("prd_g16"), mariadb.create_db("dev_g16")
    mariadb.run(prd, "CREATE TABLE u (id INT PRIMARY KEY, email VARCHAR(50), "
                     "UNIQUE KEY uk_email (email))")
    mariadb.run(dev, "CREATE TABLE u (id INT PRIMARY KEY); INSERT INTO u VALUES (1), (2)")
    migrate(f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--out", str(tmp_path),
            "--layout", layout, "--objects", "indexes,columns",
            *(["--guard"] if layout == "plain" else []))
    up, _ = layout_scripts(tmp_path, layout, "dev")
    assert "PRE-CHECK for UNIQUE uk_email" in up
    assert "indexdrift: duplicate rows" not in up and "indexdrift_duplicates" not in up
    apply_sql(dev, up)
    assert mysql_findings(mariadb, prd, dev) == set()
