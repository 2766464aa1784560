"""Schema files as a source, without a server: which files in which order, statements split
where the client would, what is refused (exit 2, English and Korean)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from indexdrift.core.errors import TextError
from indexdrift.core.i18n import Catalog
from indexdrift.sources.envspec import is_schema_source, name_from_source
from indexdrift.sources.schema_files import discover, split_sqlite, split_statements
from indexdrift.sources.schema_statements import SKIP, disposition

EXAMPLES = Path(__file__).parent.parent / "examples"
SRC = Path(__file__).parent.parent / "src"


def run(*args: str) -> subprocess.CompletedProcess:
    """The real console entry point (exit codes, one-line errors on stderr)."""
    return subprocess.run([sys.executable, "-m", "indexdrift", *args], capture_output=True,
                          text=True)


def sqls(text: str, kind: str) -> list[str]:
    return [s.sql for s in split_statements("f.sql", text, kind)]


def test_mysql_dump_conditional_comments_are_statements():
    text = ("/*M!999999\\- enable the sandbox mode */ \n"
            "-- MariaDB dump\n/*!40101 SET NAMES utf8mb4 */;\n"
            "CREATE TABLE `a;b` (x VARCHAR(3) DEFAULT 'it''s;', y INT COMMENT \"q\\\";\")"
            " /*!50100 PARTITION BY HASH (x) */;\n# a comment; with a semicolon\n")
    assert sqls(text, "mysql") == [
        "/*!40101 SET NAMES utf8mb4 */",
        "CREATE TABLE `a;b` (x VARCHAR(3) DEFAULT 'it''s;', y INT COMMENT \"q\\\";\") "
        "/*!50100 PARTITION BY HASH (x) */"]


def test_mysql_delimiter_keeps_trigger_bodies_whole():
    text = ("CREATE TABLE t (a INT);\nDELIMITER ;;\n"
            "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN\n  SET NEW.a = 1;\n"
            "  SET NEW.a = NEW.a + 1;\nEND ;;\nDELIMITER ;\nCREATE TABLE u (b INT);\n")
    found = split_statements("f.sql", text, "mysql")
    assert [s.line for s in found] == [1, 3, 8]
    assert found[1].sql.startswith("CREATE TRIGGER") and found[1].sql.endswith("END")
    assert "SET NEW.a = NEW.a + 1;" in found[1].sql


def test_postgres_dollar_bodies_and_restrict_lines():
    text = ("--\n-- PostgreSQL database dump\n--\n\n\\restrict abc123\n\n"
            "SET statement_timeout = 0;\n"
            "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $body$\nBEGIN\n"
            "  NEW.x := 'a;b'; RETURN NEW;\nEND;\n$body$;\n"
            "COMMENT ON TABLE t IS E'it\\'s; fine';\n\\unrestrict abc123\n")
    found = split_statements("f.sql", text, "postgresql")
    assert [s.line for s in found] == [7, 8, 13]
    assert found[1].sql.endswith("$body$")
    assert found[2].sql == "COMMENT ON TABLE t IS E'it\\'s; fine'"


def test_other_meta_commands_are_refused_with_file_and_line():
    with pytest.raises(TextError) as caught:
        split_statements("dump.sql", "CREATE TABLE a (x int);\n\\connect other\n",
                         "postgresql")
    assert str(caught.value).startswith("dump.sql:2: \\connect is a client meta-command")
    assert "메타 명령" in caught.value.text(Catalog("ko"))
    with pytest.raises(TextError):  # never a meta-command in a MySQL file either
        split_statements("m.sql", "\\! rm -rf x\n", "mysql")


def test_sqlite_schema_splits_where_sqlite_says():
    text = ("CREATE TABLE t (a INT);\nCREATE TABLE sqlite_sequence(name,seq);\n"
            "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; "
            "UPDATE t SET a = 2; END;\nCREATE VIEW v AS SELECT a FROM t\n/* v(a) */;\n")
    found = split_sqlite("s.sql", text)
    assert [s.line for s in found] == [1, 2, 3, 4]
    assert found[2].sql.endswith("END;")
    assert disposition(found[1], "sqlite", "repo") == SKIP  # SQLite makes it itself


@pytest.mark.parametrize("kind, sql", [
    ("mysql", "USE shop"), ("mysql", "/*!40000 CREATE DATABASE x */"),
    ("mysql", "CREATE TABLE `shop`.`t` (a INT)"), ("mysql", "DROP TABLE IF EXISTS shop.t"),
    ("mysql", "CREATE UNIQUE INDEX ux ON `shop`.t (a)"), ("mysql", "INSERT INTO shop.t VALUES (1)"),
    ("mysql", "ALTER TABLE t RENAME TO shop.t"), ("mysql", "RENAME TABLE t TO `shop`.`t`"),
    ("mysql", "SET GLOBAL read_only = 1"), ("mysql", "SET @@GLOBAL.read_only = 1"),
    ("mysql", "CREATE USER x"), ("postgresql", "ALTER SYSTEM SET fsync = off"),
    ("postgresql", "CREATE ROLE app"),
    ("postgresql", "CREATE DATABASE x"), ("sqlite", "ATTACH 'x.db' AS x")])
def test_statements_reaching_past_the_throw_away_schema_are_refused(kind, sql):
    from indexdrift.sources.schema_files import Statement

    with pytest.raises(TextError) as caught:
        disposition(Statement("f.sql", 3, sql), kind, "repo")
    assert "env repo: f.sql:3:" in str(caught.value)
    assert "환경 repo: f.sql:3:" in caught.value.text(Catalog("ko"))


def test_mysql_gtid_binlog_and_grants_are_skipped_the_rest_runs():
    from indexdrift.sources.schema_files import Statement

    for sql in ("SET @@GLOBAL.GTID_PURGED=/*!80000 '+'*/ 'abc:1-5'",
                "SET @@SESSION.SQL_LOG_BIN= 0", "GRANT SELECT ON t TO app"):
        assert disposition(Statement("f", 1, sql), "mysql", "e") == SKIP
    for sql in ("/*!40101 SET NAMES utf8mb4 */", "CREATE TABLE t (a INT, b INT REFERENCES u (a))",
                "ALTER TABLE t ADD INDEX ix (a)", "SET SESSION sql_mode = ''"):
        assert disposition(Statement("f", 1, sql), "mysql", "e") != SKIP


def test_pg_owner_and_grants_are_skipped():
    from indexdrift.sources.schema_files import Statement

    for sql in ("ALTER TABLE public.t OWNER TO app", "GRANT SELECT ON t TO r",
                "REVOKE ALL ON SCHEMA public FROM PUBLIC", "SET ROLE app"):
        assert disposition(Statement("f", 1, sql), "postgresql", "e") == SKIP


def files(root: Path, names: list[str], text: str = "CREATE TABLE t (a INT);\n") -> Path:
    root.mkdir()
    for name in names:
        (root / name).write_text(text)
    return root


def names(found) -> list[str]:
    return [Path(p).name for p in found.files]


def test_flyway_order_by_version_up_side_only(tmp_path):
    root = files(tmp_path / "m", ["V10__c.sql", "V2__b.sql", "V1_1__a.sql", "V1__a.sql",
                                  "U2__b.sql", "R__views.sql", "R__a_funcs.sql"])
    (root / "V2__b.sql.conf").write_text("executeInTransaction=false\n")
    found = discover(str(root))
    assert names(found) == ["V1__a.sql", "V1_1__a.sql", "V2__b.sql", "V10__c.sql",
                            "R__a_funcs.sql", "R__views.sql"]
    assert (found.layout, found.version, found.label) == ("flyway", "V10", f"{root}@V10")


def test_golang_migrate_order_and_downs_skipped(tmp_path):
    root = files(tmp_path / "m", ["10_c.up.sql", "2_b.up.sql", "2_b.down.sql", "1_a.up.sql"])
    found = discover(str(root))
    assert names(found) == ["1_a.up.sql", "2_b.up.sql", "10_c.up.sql"]
    assert (found.layout, found.version) == ("golang-migrate", "10")


def test_liquibase_changesets_plain_numbered_and_one_table_per_file(tmp_path):
    lb = files(tmp_path / "lb", ["b.sql", "a.sql"],
               "--liquibase formatted sql\n--changeset me:1\nCREATE TABLE t (a INT);\n"
               "--rollback DROP TABLE t;\n--changeset me:2\nCREATE INDEX i ON t (a);\n")
    found = discover(str(lb))
    assert (names(found), found.layout, found.version) == (["a.sql", "b.sql"], "liquibase",
                                                           "me:2")
    assert [s.sql for s in split_statements("a.sql", (lb / "a.sql").read_text(), "mysql")] \
        == ["CREATE TABLE t (a INT)", "CREATE INDEX i ON t (a)"]
    plain = files(tmp_path / "plain", ["10_c.sql", "2_b.sql", "2_b.rollback.sql"])
    found = discover(str(plain))
    assert (names(found), found.layout, found.version) == (["2_b.sql", "10_c.sql"], "plain",
                                                           "10")
    tables = files(tmp_path / "tables", ["users.sql", "orders.sql"])
    found = discover(str(tables))
    assert (names(found), found.layout, found.label) == (["orders.sql", "users.sql"],
                                                         "directory", str(tables))


def test_liquibase_changeset_attributes():
    from indexdrift.sources.schema_files import split_liquibase

    text = ("--liquibase formatted sql\n\n--changeset me:1\nCREATE TABLE t (a INT);\n"
            "--rollback DROP TABLE t;\n"
            "--changeset me:2 dbms:postgresql\nCREATE INDEX pg_only ON t (a);\n"
            "--changeset me:3 splitStatements:false\n"
            "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; END;\n"
            "--changeset me:4 endDelimiter:// dbms:mariadb,mysql\n"
            "CREATE TABLE u (a INT); //\nCREATE TABLE w (a INT)//\n")
    found = split_liquibase("c.sql", text, "mysql")
    assert [(s.line, s.sql) for s in found] == [
        (4, "CREATE TABLE t (a INT)"),
        (9, "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET a = 1; END;"),
        (11, "CREATE TABLE u (a INT);"), (12, "CREATE TABLE w (a INT)")]
    assert [s.line for s in split_liquibase("c.sql", text, "postgresql")] == [4, 7, 9]


def test_a_stray_file_in_a_flyway_directory_is_refused(tmp_path):
    root = files(tmp_path / "m", ["V1__a.sql", "notes.sql"])
    with pytest.raises(TextError, match="notes.sql: not a flyway migration"):
        discover(str(root))


def test_envspec_tells_schema_sources(tmp_path):
    (tmp_path / "schema.sql").write_text("CREATE TABLE t (a INT);")
    (tmp_path / "x.csv").write_text("a")
    assert is_schema_source(str(tmp_path / "schema.sql"))
    assert is_schema_source(str(tmp_path))
    assert not is_schema_source(str(tmp_path / "x.csv"))
    assert not is_schema_source("mysql://h/shop.sql")
    assert name_from_source("db/schema_repo.sql") == "repo"


@pytest.mark.parametrize("lang, words", [("en", "needs a scratch server; give --scratch"),
                                         ("ko", "스크래치 서버가 필요합니다")])
def test_a_dump_without_a_scratch_server_is_refused(tmp_path, lang, words):
    dump = tmp_path / "schema.sql"
    dump.write_text("-- MySQL dump 10.13\n/*!40101 SET NAMES utf8 */;\nCREATE TABLE t (a INT);\n")
    other = EXAMPLES / "indexes_prd.csv"
    result = run("compare", f"prd={other}", f"repo={dump}", "--lang", lang)
    assert result.returncode == 2, result.stderr
    assert words in result.stderr and "--scratch" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_dialect_bad_scratch_and_not_sql(tmp_path):
    plain = tmp_path / "schema.sql"
    plain.write_text("CREATE TABLE t (a INT);\n")
    other = EXAMPLES / "indexes_prd.csv"
    result = run("compare", f"prd={other}", f"repo={plain}")
    assert result.returncode == 2 and "cannot be told from the file" in result.stderr
    result = run("compare", f"prd={other}", f"repo={plain}", "--scratch", "oracle://x")
    assert result.returncode == 2 and "--scratch oracle://x: not a database URL" in result.stderr
    binary = tmp_path / "bin.sql"
    binary.write_bytes(b"\x00\x01\xff")
    result = run("compare", f"prd={other}", f"repo={binary}", "--scratch", "sqlite:")
    assert result.returncode == 2 and "not a SQL file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_scratch_server_that_is_down(tmp_path):
    dump = tmp_path / "schema.sql"
    dump.write_text("CREATE TABLE t (a INT);\n")
    other = EXAMPLES / "indexes_prd.csv"
    for lang, words in (("en", "the scratch server cannot be used"),
                        ("ko", "스크래치 서버를 쓸 수 없습니다")):
        result = run("compare", f"prd={other}", f"repo={dump}", "--lang", lang, "--scratch",
                     "mysql://root@127.0.0.1:1", "--connect-timeout", "2")
        assert result.returncode == 2, result.stderr
        assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_sqlite_schema_file_loads_without_a_server(tmp_path):
    db = tmp_path / "live.db"
    conn = sqlite3.connect(db)
    conn.executescript("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT UNIQUE);"
                       "CREATE INDEX ix ON t (lower(a) DESC) WHERE a IS NOT NULL;")
    conn.close()
    schema = tmp_path / "schema.sql"
    schema.write_text("".join(line + ";\n" for line in conn_schema(db)))
    result = run("compare", f"prd=sqlite:///{db}", f"repo={schema}", "--scratch", "sqlite:",
                 "--objects", "all")
    assert result.returncode == 0, result.stderr
    bad = tmp_path / "bad.sql"
    bad.write_text("CREATE TABLE t (a INT);\n\nCREATE INDEX ix ON nope (a);\n")
    result = run("compare", f"prd=sqlite:///{db}", f"repo={bad}", "--scratch", "sqlite:")
    assert result.returncode == 2
    assert f"env repo: {bad}:3: the scratch server refused the statement: no such table" \
        in result.stderr


def conn_schema(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT sql FROM sqlite_master WHERE sql "
                                               "IS NOT NULL ORDER BY rowid")]
    finally:
        conn.close()


def test_config_scratch_key():
    from indexdrift.core.errors import InputError
    from indexdrift.sources.config import parse_config

    assert parse_config({"scratch": "mysql://scratch@127.0.0.1:3306"}).scratch \
        == "mysql://scratch@127.0.0.1:3306"
    assert parse_config({"scratch": "sqlite:"}).scratch == "sqlite:"
    with pytest.raises(InputError, match="holds a password"):
        parse_config({"scratch": "mysql://u:secret@127.0.0.1/x"})


def test_config_scratch_is_used_and_the_flag_wins(tmp_path):
    db = tmp_path / "live.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (a INT PRIMARY KEY)")
    conn.close()
    schema = tmp_path / "schema.sql"
    schema.write_text("CREATE TABLE t (a INT PRIMARY KEY);\n")
    (tmp_path / "indexdrift.toml").write_text('scratch = "sqlite:"\n')
    result = subprocess.run([sys.executable, "-m", "indexdrift", "compare",
                             f"prd=sqlite:///{db}", f"repo={schema}"], capture_output=True,
                            text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(SRC)})
    assert result.returncode == 0, result.stderr
    result = subprocess.run([sys.executable, "-m", "indexdrift", "compare",
                             f"prd=sqlite:///{db}", f"repo={schema}", "--scratch", "oracle:"],
                            capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": str(SRC)})
    assert result.returncode == 2 and "--scratch oracle:" in result.stderr
