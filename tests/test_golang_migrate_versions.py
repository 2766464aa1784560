"""golang-migrate: every version's down undoes exactly its up (issue 16, item 1), on the real
PostgreSQL, MariaDB and SQLite, driven by golang-migrate's rules (golang_migrate_driver).

For every prefix k of the versions, ``up k`` then ``down k`` gives back the env as it was;
after every single ``up 1``, ``down 1`` gives back the state before it (and ``up 1``
again the state after it); up to the end, ``compare --objects all`` finds nothing. The
schema is read independently of indexdrift: ``pg_dump --schema-only``, ``SHOW CREATE
TABLE``, SQLite's ``sqlite_master``.
"""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner
from golang_migrate_driver import Migrations, mariadb_runner, postgres_runner, sqlite_runner
from test_tables_migrate_postgres import schema_dump

from indexdrift.cli.main import cli
from indexdrift.core.i18n import Catalog

PG_CASES = {
    # The issue's example: a plain index rebuilt (CONCURRENTLY under a temporary name,
    # then swapped in) and its comment set.
    "issue": ("CREATE TABLE t (id int PRIMARY KEY, a int, b int);"
              "CREATE INDEX ix_t_ab ON t (a, b);"
              "COMMENT ON INDEX ix_t_ab IS 'hot path';",
              "CREATE TABLE t (id int PRIMARY KEY, a int, b int);"
              "CREATE INDEX ix_t_ab ON t (b, a);"
              "INSERT INTO t VALUES (1, 1, 2), (2, 2, 1);"),
    # A UNIQUE index rebuilt, a UNIQUE constraint swapped (online: built first), a
    # commented index only the env has dropped CONCURRENTLY.
    "unique": ("CREATE TABLE u (id int PRIMARY KEY, a int, b int);"
               "CREATE UNIQUE INDEX ix_u_a ON u (a);"
               "CREATE TABLE w (id int PRIMARY KEY, a int, b int,"
               " CONSTRAINT uq_w UNIQUE (a));"
               "COMMENT ON INDEX uq_w IS 'one a';",
               "CREATE TABLE u (id int PRIMARY KEY, a int, b int);"
               "CREATE INDEX ix_u_a ON u (a, b);"
               "CREATE INDEX ix_u_b ON u (b);"
               "COMMENT ON INDEX ix_u_b IS 'by b';"
               "CREATE TABLE w (id int PRIMARY KEY, a int, b int,"
               " CONSTRAINT uq_w UNIQUE (a, b));"
               "INSERT INTO u VALUES (1, 1, 1), (2, 2, 1);"
               "INSERT INTO w VALUES (1, 1, 1), (2, 2, 1);"),
    # A column and an index on it, a table created with its index, a primary key
    # widened.
    "tables": ("CREATE TABLE c (id int PRIMARY KEY, v int, n int);"
               "CREATE INDEX ix_c_n ON c (n);"
               "CREATE TABLE made (id int PRIMARY KEY, name text);"
               "CREATE INDEX ix_made_name ON made (name);"
               "CREATE TABLE p (id int NOT NULL, k int NOT NULL, PRIMARY KEY (id, k));",
               "CREATE TABLE c (id int PRIMARY KEY, v int);"
               "CREATE TABLE p (id int NOT NULL, k int NOT NULL, PRIMARY KEY (id));"
               "INSERT INTO c VALUES (1, 1);"),
}

MARIADB_CASES = {
    "issue": ("CREATE TABLE t (id int PRIMARY KEY, a int, b int,"
              " KEY ix_t_ab (a, b) COMMENT 'hot path');",
              "CREATE TABLE t (id int PRIMARY KEY, a int, b int, KEY ix_t_ab (b, a));"
              "INSERT INTO t VALUES (1, 1, 2), (2, 2, 1);"),
    "unique": ("CREATE TABLE u (id int PRIMARY KEY, a int, b int, UNIQUE KEY ix_u_a (a));",
               "CREATE TABLE u (id int PRIMARY KEY, a int, b int, KEY ix_u_a (a, b),"
               " KEY ix_u_b (b) COMMENT 'by b');"
               "INSERT INTO u VALUES (1, 1, 1), (2, 2, 1);"),
    "tables": ("CREATE TABLE c (id int PRIMARY KEY, v int, n int, KEY ix_c_n (n));"
               "CREATE TABLE made (id int PRIMARY KEY, name varchar(20), KEY ix_made_name (name));",
               "CREATE TABLE c (id int PRIMARY KEY, v int);"
               "INSERT INTO c VALUES (1, 1);"),
}


def migrate(prd_url: str, dev_url: str, out) -> None:
    """golang-migrate files for dev, against prd, of every object kind."""
    result = CliRunner().invoke(cli, [
        "migrate", f"prd={prd_url}", f"dev={dev_url}", "--objects", "all", "--no-usage",
        "--drop-extra", "--out", str(out), "--layout", "golang-migrate", "--version", "1"])
    assert result.exit_code == 0, result.output


def no_drift(prd_url: str, dev_url: str) -> bool:
    """``compare --objects all`` finds nothing (exit 0)."""
    result = CliRunner().invoke(cli, ["compare", f"prd={prd_url}", f"dev={dev_url}",
                                      "--objects", "all", "--no-usage"])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code == 0


def assert_exact_versions(migrations: Migrations, dump, prd_url: str, dev_url: str) -> None:
    """The checks of this file's docstring, on ``migrations`` (none applied yet)."""
    states = [dump()]
    assert not no_drift(prd_url, dev_url)
    for _ in range(len(migrations)):
        migrations.up(1)
        states.append(dump())
        migrations.down(1)  # down 1 after any up step: the state before that version
        assert dump() == states[-2], f"down of version {migrations.applied + 1}"
        migrations.up(1)
        assert dump() == states[-1]
    assert no_drift(prd_url, dev_url)
    migrations.down()
    assert dump() == states[0]
    for k in range(1, len(migrations) + 1):  # every prefix: up 1..k, then down k..1
        migrations.up(k)
        assert dump() == states[k]
        migrations.down(k)
        assert dump() == states[0], f"up {k} then down {k}"


@pytest.mark.postgres
@pytest.mark.parametrize("case", sorted(PG_CASES))
def test_postgres_versions_undo_exactly_their_up(postgres, tmp_path, case):
    prd_sql, dev_sql = PG_CASES[case]
    prd, dev = postgres.create_db("v16b_gp"), postgres.create_db("v16b_gd")
    postgres.run(prd, prd_sql)
    postgres.run(dev, dev_sql)
    migrate(postgres.url(prd), postgres.url(dev), tmp_path)
    migrations = Migrations(tmp_path / "dev", postgres_runner(dev))
    ups = [v["up"].read_text() for v in migrations.versions]
    # CONCURRENTLY alone in its file; the transactional statements between share one.
    for text in ups:
        statements = [line for line in text.splitlines()
                      if line.endswith(";") and not line.startswith("--")]
        if any("CONCURRENTLY" in line for line in statements):
            assert len(statements) == 1, text
    assert_exact_versions(migrations, lambda: schema_dump(dev), postgres.url(prd),
                          postgres.url(dev))


def test_postgres_issue_example_has_two_versions(postgres, tmp_path):
    prd_sql, dev_sql = PG_CASES["issue"]
    prd, dev = postgres.create_db("v16b_gp"), postgres.create_db("v16b_gd")
    postgres.run(prd, prd_sql)
    postgres.run(dev, dev_sql)
    migrate(postgres.url(prd), postgres.url(dev), tmp_path)
    migrations = Migrations(tmp_path / "dev", postgres_runner(dev))
    assert len(migrations) == 2
    first, second = migrations.versions
    assert "CREATE INDEX CONCURRENTLY" in first["up"].read_text()
    assert 'DROP INDEX CONCURRENTLY "public"."ix_t_ab_indexdrift_new";' in \
        first["down"].read_text()
    down = second["down"].read_text()
    assert down.index("COMMENT ON INDEX") < down.index("RENAME TO") < down.index(
        'CREATE INDEX "ix_t_ab" ON "public"."t" ("b", "a");')
    assert "builds ix_t_ab again inside its transaction" in down


def _show_create(mariadb, db: str):
    def dump() -> dict:
        tables = [r[0] for r in mariadb.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
            "ORDER BY 1", (db,))]
        return {t: mariadb.query(f"SHOW CREATE TABLE `{db}`.`{t}`")[0][1] for t in tables}
    return dump


@pytest.mark.parametrize("case", sorted(MARIADB_CASES))
def test_mariadb_versions_undo_exactly_their_up(mariadb, tmp_path, case):
    prd_sql, dev_sql = MARIADB_CASES[case]
    prd, dev = mariadb.create_db("v16b_gp"), mariadb.create_db("v16b_gd")
    mariadb.run(prd, prd_sql)
    mariadb.run(dev, dev_sql)
    migrate(mariadb.url(prd), mariadb.url(dev), tmp_path)
    migrations = Migrations(tmp_path / "dev", mariadb_runner(dev))
    assert len(migrations) == 1  # every MariaDB statement may share one version
    assert_exact_versions(migrations, _show_create(mariadb, dev), mariadb.url(prd),
                          mariadb.url(dev))


def test_sqlite_versions_undo_exactly_their_up(tmp_path):
    prd, dev = str(tmp_path / "prd.db"), str(tmp_path / "dev.db")
    for path, sql in ((prd, "CREATE TABLE t (id integer PRIMARY KEY, a int, b int);"
                            "CREATE INDEX ix_t_ab ON t (a, b);"
                            "CREATE UNIQUE INDEX ix_t_b ON t (b);"),
                      # written as indexdrift writes them: sqlite_master keeps the text
                      (dev, "CREATE TABLE t (id integer PRIMARY KEY, a int, b int);"
                            'CREATE INDEX "ix_t_ab" ON "t" ("b", "a");'
                            'CREATE INDEX "ix_t_x" ON "t" ("a");')):
        with sqlite3.connect(path) as conn:
            conn.executescript(sql)

    def dump() -> list:
        with sqlite3.connect(dev) as conn:
            return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY 1, 2"
                                ).fetchall()
    migrate(f"sqlite:///{prd}", f"sqlite:///{dev}", tmp_path / "out")
    migrations = Migrations(tmp_path / "out" / "dev", sqlite_runner(dev))
    assert_exact_versions(migrations, dump, f"sqlite:///{prd}", f"sqlite:///{dev}")


def test_postgres_notes_in_korean(postgres, tmp_path):
    prd_sql, dev_sql = PG_CASES["issue"]
    prd, dev = postgres.create_db("v16b_gp"), postgres.create_db("v16b_gd")
    postgres.run(prd, prd_sql)
    postgres.run(dev, dev_sql)
    result = CliRunner().invoke(cli, [
        "migrate", f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}", "--no-usage",
        "--out", str(tmp_path), "--layout", "golang-migrate", "--version", "1",
        "--lang", "ko"])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.read_text() for p in sorted((tmp_path / "dev").iterdir()))
    rebuild = Catalog("ko").t("migrate.postgresql.undo_rebuilds", index="ix_t_ab")
    assert "ix_t_ab을 트랜잭션 안에서 다시 빌드합니다" in rebuild  # the particle resolved
    assert rebuild in text  # the down's rebuild
    assert "도중에 멈추면 다시 실행하지 마세요" in text  # the header's advice
    assert "지금 상태의 env로 마이그레이션을 다시 작성하고" in text  # the build's note
