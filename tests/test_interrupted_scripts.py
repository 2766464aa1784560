"""A plain script stopped part-way, then the script's own advice followed, converges
(issue 16, item 3), on the real PostgreSQL and MariaDB.

The advice (every script's header, and the notes of PostgreSQL's builds under a temporary
name): do not run it again; fix the cause, write the migration again from the env as it
is now and run that one. For every i, statements 1..i of the script run (a transaction
left open is rolled back when the session ends), then the advice: the env ends with no
drift.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import split_sql
from mariadb_apply import apply_sql
from postgres_apply import psql, psql_error

from indexdrift.cli.main import cli

ADVICE = "write the migration again from the env as it is now (indexdrift migrate)"

PG_PRD = ("CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int);"
          "CREATE INDEX ix_t_ab ON t (a, b);"
          "COMMENT ON INDEX ix_t_ab IS 'hot path';"
          "CREATE UNIQUE INDEX ix_u_a ON t (a);"
          "CREATE INDEX ix_t_c ON t (c);"
          "CREATE TABLE made (id int PRIMARY KEY, name text);")
PG_DEV = ("CREATE TABLE t (id int PRIMARY KEY, a int, b int);"
          "CREATE INDEX ix_t_ab ON t (b, a);"
          "CREATE INDEX ix_u_a ON t (a, b);"
          "CREATE INDEX ix_extra ON t (b);"
          "INSERT INTO t VALUES (1, 1, 2), (2, 2, 1);")

MARIADB_PRD = ("CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int,"
               " KEY ix_t_ab (a, b) COMMENT 'hot path', UNIQUE KEY ix_u_a (a), KEY ix_t_c (c));"
               "CREATE TABLE made (id int PRIMARY KEY, name varchar(20));")
MARIADB_DEV = ("CREATE TABLE t (id int PRIMARY KEY, a int, b int, KEY ix_t_ab (b, a),"
               " KEY ix_u_a (a, b), KEY ix_extra (b));"
               "INSERT INTO t VALUES (1, 1, 2), (2, 2, 1);")


def plain_script(prd_url: str, dev_url: str) -> str:
    result = CliRunner().invoke(cli, ["migrate", f"prd={prd_url}", f"dev={dev_url}",
                                      "--objects", "all", "--no-usage", "--drop-extra",
                                      "--stdout"])
    assert result.exit_code == 0, result.output
    return result.output


def no_drift(prd_url: str, dev_url: str) -> bool:
    result = CliRunner().invoke(cli, ["compare", f"prd={prd_url}", f"dev={dev_url}",
                                      "--objects", "all", "--no-usage"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code == 0


def follow_advice(prd_url: str, dev_url: str, run) -> None:
    """Write the migration again from the env as it is now, run it: no drift is left."""
    run(plain_script(prd_url, dev_url))
    assert no_drift(prd_url, dev_url)


@pytest.mark.postgres
def test_postgres_plain_script_stopped_at_each_statement_converges(postgres):
    probe_prd, probe_dev = postgres.create_db("v16b_ip"), postgres.create_db("v16b_id")
    postgres.run(probe_prd, PG_PRD)
    postgres.run(probe_dev, PG_DEV)
    script = plain_script(postgres.url(probe_prd), postgres.url(probe_dev))
    assert ADVICE in script
    statements = split_sql(script)
    assert len(statements) > 8
    for i in range(1, len(statements)):
        prd, dev = postgres.create_db("v16b_ip"), postgres.create_db("v16b_id")
        postgres.run(prd, PG_PRD)
        postgres.run(dev, PG_DEV)
        # the same plan: the same script
        assert plain_script(postgres.url(prd), postgres.url(dev)).count(";") == \
            script.count(";")
        psql(dev, ";\n".join(statements[:i]) + ";\n")
        follow_advice(postgres.url(prd), postgres.url(dev), lambda sql, db=dev: psql(db, sql))
        for db in (prd, dev):
            postgres.admin.execute(f'DROP DATABASE "{db}" WITH (FORCE)')
            postgres.created.remove(db)


@pytest.mark.postgres
def test_postgres_failed_unique_build_then_the_note_converges(postgres):
    prd, dev = postgres.create_db("v16b_ip"), postgres.create_db("v16b_id")
    postgres.run(prd, PG_PRD)
    postgres.run(dev, PG_DEV + "INSERT INTO t VALUES (3, 1, 5);")  # a = 1 twice
    script = plain_script(postgres.url(prd), postgres.url(dev))
    assert "could not create unique index" in psql_error(dev, script)
    note = re.search(r"^-- ix_u_a is built first .*drop the INVALID ix_u_a_indexdrift_new "
                     r"\((DROP INDEX CONCURRENTLY [^)]*;)\), fix the rows, then " + re.escape(
                         ADVICE), script, re.M)
    assert note is not None, script
    psql(dev, note.group(1))
    psql(dev, "DELETE FROM t WHERE id = 3;")
    follow_advice(postgres.url(prd), postgres.url(dev), lambda sql: psql(dev, sql))


def test_mariadb_plain_script_stopped_at_each_statement_converges(mariadb):
    probe_prd, probe_dev = mariadb.create_db("v16b_ip"), mariadb.create_db("v16b_id")
    mariadb.run(probe_prd, MARIADB_PRD)
    mariadb.run(probe_dev, MARIADB_DEV)
    script = plain_script(mariadb.url(probe_prd), mariadb.url(probe_dev))
    assert ADVICE in script
    statements = split_sql(script)
    assert len(statements) >= 2
    for i in range(1, len(statements)):
        prd, dev = mariadb.create_db("v16b_ip"), mariadb.create_db("v16b_id")
        mariadb.run(prd, MARIADB_PRD)
        mariadb.run(dev, MARIADB_DEV)
        # This dev's own script: its database guard names the schema it runs on.
        own = split_sql(plain_script(mariadb.url(prd), mariadb.url(dev)))
        assert len(own) == len(statements)
        apply_sql(dev, ";\n".join(own[:i]) + ";\n")
        follow_advice(mariadb.url(prd), mariadb.url(dev), lambda sql, db=dev: apply_sql(db, sql))
