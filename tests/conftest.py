"""Shared fixtures: real servers (never mocks), each test with its own databases."""

from __future__ import annotations

import os
import uuid

import pytest

MARIADB = dict(host=os.environ.get("INDEXDRIFT_TEST_MYSQL_HOST", "127.0.0.1"),
               port=int(os.environ.get("INDEXDRIFT_TEST_MYSQL_PORT", "3306")),
               user=os.environ.get("INDEXDRIFT_TEST_MYSQL_USER", "root"))


def _unavailable(what: str, exc: Exception):
    """Skip on a developer machine without the server; fail under CI."""
    message = f"{what} is not reachable ({exc}); start it or run the unit tests only"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI=true and {message}")
    pytest.skip(message)


class MariaDB:
    """A handle on the test server that creates throw-away databases."""

    def __init__(self) -> None:
        import pymysql

        self.pymysql = pymysql
        self.created: list[str] = []
        self.users: list[str] = []
        self.admin = pymysql.connect(autocommit=True, charset="utf8mb4",
                                     password=os.environ.get("INDEXDRIFT_TEST_MYSQL_PASSWORD", ""),
                                     **MARIADB)

    def create_db(self, suffix: str, prefix: str = "idt") -> str:
        """A new empty database (``prefix`` tells whose test made it); dropped when the
        test ends."""
        name = f"{prefix}_{uuid.uuid4().hex[:8]}_{suffix}"
        with self.admin.cursor() as cur:
            cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        self.created.append(name)
        return name

    def run(self, db: str, sql: str) -> None:
        """Run one or more ;-separated statements in ``db``."""
        with self.admin.cursor() as cur:
            cur.execute(f"USE `{db}`")
            for statement in split_sql(sql):
                cur.execute(statement)

    def query(self, sql: str, args=None) -> list[tuple]:
        """Rows of one query."""
        with self.admin.cursor() as cur:
            cur.execute(sql, args)
            return list(cur.fetchall())

    def url(self, db: str) -> str:
        """The indexdrift URL of a database (no password in it)."""
        return f"mysql://{MARIADB['user']}@{MARIADB['host']}:{MARIADB['port']}/{db}"

    def create_user(self, grants: list[str], password: str = "") -> str:
        """A throw-away account holding only ``grants`` ("SELECT ON `db`.*"); dropped at
        the end. Reading with it proves that a read needs nothing more."""
        name = f"idt_{uuid.uuid4().hex[:10]}"
        with self.admin.cursor() as cur:
            cur.execute("CREATE USER %s@'%%' IDENTIFIED BY %s", (name, password))
            self.users.append(name)
            for grant in grants:
                cur.execute(f"GRANT {grant} TO '{name}'@'%'")
        return name

    def user_url(self, user: str, db: str) -> str:
        """The URL of ``db`` read as ``user`` (no password in it)."""
        return f"mysql://{user}@{MARIADB['host']}:{MARIADB['port']}/{db}"

    def close(self) -> None:
        """Drop every database and account this handle created."""
        with self.admin.cursor() as cur:
            for name in self.created:
                cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
            for user in getattr(self, "users", []):
                cur.execute("DROP USER IF EXISTS %s@'%%'", (user,))
        self.admin.close()


def split_sql(script: str) -> list[str]:
    """Split a script on semicolons outside quotes and comments (test helper)."""
    statements, buf, quote, i = [], [], None, 0
    while i < len(script):
        ch = script[i]
        if quote:
            buf.append(ch)
            if ch == "\\" and quote != "`":
                buf.append(script[i + 1])
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
            buf.append(ch)
        elif script.startswith("--", i) and (i + 2 >= len(script) or script[i + 2] in " \t\n"):
            end = script.find("\n", i)
            i = len(script) if end < 0 else end
            continue
        elif ch == ";":
            text = "".join(buf).strip()
            if text:
                statements.append(text)
            buf = []
        else:
            buf.append(ch)
        i += 1
    text = "".join(buf).strip()
    if text:
        statements.append(text)
    return statements


@pytest.fixture
def mariadb():
    """A MariaDB handle; skips (or fails under CI) when the server is down."""
    try:
        handle = MariaDB()
    except Exception as exc:  # noqa: BLE001 - any connect failure means "no server"
        _unavailable(f"MariaDB at {MARIADB['host']}:{MARIADB['port']}", exc)
    try:
        yield handle
    finally:
        handle.close()


POSTGRES = dict(host=os.environ.get("INDEXDRIFT_TEST_PG_HOST", "127.0.0.1"),
                port=int(os.environ.get("INDEXDRIFT_TEST_PG_PORT", "5432")),
                user=os.environ.get("INDEXDRIFT_TEST_PG_USER", "postgres"))


class Postgres:
    """A handle on the PostgreSQL test server that creates throw-away databases."""

    def __init__(self) -> None:
        import psycopg

        self.psycopg = psycopg
        self.created: list[str] = []
        self.admin = psycopg.connect(dbname="postgres", autocommit=True, connect_timeout=5,
                                     **POSTGRES)

    def create_db(self, suffix: str, prefix: str = "idt") -> str:
        """A new empty database (``prefix`` tells whose test made it); dropped when the
        test ends."""
        name = f"{prefix}_{uuid.uuid4().hex[:8]}_{suffix}"
        self.admin.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return name

    def run(self, db: str, sql: str) -> None:
        """Run statements in ``db``, each on its own (autocommit; CONCURRENTLY works)."""
        with self.psycopg.connect(dbname=db, autocommit=True, **POSTGRES) as conn:
            for statement in split_sql(sql):
                conn.execute(statement)

    def url(self, db: str, schema: str | None = None) -> str:
        """The indexdrift URL of a database (no password in it)."""
        query = f"?schema={schema}" if schema else ""
        return f"postgresql://{POSTGRES['user']}@{POSTGRES['host']}:{POSTGRES['port']}/{db}{query}"

    def close(self) -> None:
        """Drop every database this handle created."""
        for name in self.created:
            self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.close()


@pytest.fixture
def postgres():
    """A PostgreSQL handle; skips (or fails under CI) when the server is down."""
    try:
        handle = Postgres()
    except Exception as exc:  # noqa: BLE001 - any connect failure means "no server"
        _unavailable(f"PostgreSQL at {POSTGRES['host']}:{POSTGRES['port']}", exc)
    try:
        yield handle
    finally:
        handle.close()
