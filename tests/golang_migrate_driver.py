"""A small driver that runs a directory of migrations by golang-migrate's documented rules
(test helper; the real ``migrate`` CLI is not packaged for this machine).

The rules it follows: a source file is ``{version}_{title}.up.sql`` or
``{version}_{title}.down.sql``, ``version`` an unsigned integer; versions run in numeric
order; ``up N`` applies the next N versions' up files, ``down N`` the last N applied
versions' down files, newest first; each file is sent to the database as one unit (the
postgres driver: one multi-statement simple query, an implicit transaction; the mysql
driver: one query with ``multiStatements``; the sqlite3 driver: the file inside a
transaction). golang-migrate keeps the current version in ``schema_migrations``; this
driver keeps it in memory, so the schema it leaves is the migrations' alone.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg
import pymysql
from conftest import MARIADB, POSTGRES
from pymysql.constants import CLIENT

_FILE = re.compile(r"^(\d+)_(.+)\.(up|down)\.sql$")


class Migrations:
    """The versions of one source directory and how many of them are applied."""

    def __init__(self, directory: Path, run: Callable[[str], None]) -> None:
        found: dict[int, dict[str, Path]] = {}
        for path in directory.iterdir():
            match = _FILE.match(path.name)
            assert match, f"not a golang-migrate file name: {path.name}"
            version, _, direction = match.groups()
            assert direction not in found.get(int(version), {}), f"two {direction} files"
            found.setdefault(int(version), {})[direction] = path
        self.versions = [found[v] for v in sorted(found)]
        self.applied = 0
        self.run = run

    def __len__(self) -> int:
        return len(self.versions)

    def up(self, n: int | None = None) -> None:
        """``migrate up [N]``."""
        n = len(self.versions) - self.applied if n is None else n
        for _ in range(n):
            self.run(self.versions[self.applied]["up"].read_text())
            self.applied += 1

    def down(self, n: int | None = None) -> None:
        """``migrate down [N]``."""
        n = self.applied if n is None else n
        for _ in range(n):
            self.run(self.versions[self.applied - 1]["down"].read_text())
            self.applied -= 1


def postgres_runner(db: str) -> Callable[[str], None]:
    """A file as one simple query (psycopg sends a query without parameters that way)."""
    def run(sql: str) -> None:
        with psycopg.connect(dbname=db, autocommit=True, **POSTGRES) as conn:
            conn.execute(sql)
    return run


def mariadb_runner(db: str) -> Callable[[str], None]:
    """A file as one query with multiStatements; every result read, so an error in a
    later statement surfaces."""
    def run(sql: str) -> None:
        conn = pymysql.connect(database=db, autocommit=True, charset="utf8mb4",
                               client_flag=CLIENT.MULTI_STATEMENTS, **MARIADB)
        try:
            with conn.cursor() as cur:
                cur.execute(sql)
                while cur.nextset():
                    pass
        finally:
            conn.close()
    return run


def sqlite_runner(path: str) -> Callable[[str], None]:
    """A file inside one transaction, as the sqlite3 driver runs it."""
    def run(sql: str) -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.executescript("BEGIN;\n" + sql + "\nCOMMIT;")
        finally:
            conn.close()
    return run
