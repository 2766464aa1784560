"""A throw-away schema on a MySQL/MariaDB scratch server: created, loaded one statement
at a time, dropped (sources/scratch.py drives it)."""

from __future__ import annotations

import dataclasses
import warnings as pywarnings

from indexdrift.core.errors import SourceError
from indexdrift.dialects.mysql.catalog import connect
from indexdrift.dialects.mysql.literals import quote_ident
from indexdrift.sources.scratch_session import StatementFailed
from indexdrift.sources.urls import DbUrl, redact


class MysqlScratch:
    """A session on the throw-away schema ``name`` (its default database). Nothing
    happens on the server before ``create()``; ``drop()`` may run at any time after, from
    any thread (an interrupt), and more than once."""

    def __init__(self, url: DbUrl, env: str, name: str) -> None:
        self.env, self.name = env, name
        self.server = dataclasses.replace(url, database=None)
        self.url = dataclasses.replace(url, database=name)  # what the live reader reads
        self.conn = None
        self.creating = False  # CREATE DATABASE was sent: drop() must drop it

    def create(self) -> None:
        """Create the schema and make it the session's; a server refusing is SourceError."""
        import pymysql  # lazy: start-up imports no driver

        self.conn = connect(self.server, self.env)
        try:
            with self.conn.cursor() as cur:
                # The reader's connection is read-only; this one writes, in its schema only.
                cur.execute("SET SESSION TRANSACTION READ WRITE")
                self.creating = True
                cur.execute(f"CREATE DATABASE {quote_ident(self.name)}")
                cur.execute(f"USE {quote_ident(self.name)}")
                # The files' order is not the order of their foreign keys (one table per
                # file, in name order): the server still records every key as written.
                cur.execute("SET SESSION foreign_key_checks = 0")
        except pymysql.err.MySQLError as exc:
            raise SourceError(self.env, f"scratch server {self.server.redacted}: "
                              f"{redact(str(exc))}") from None

    def execute(self, sql: str) -> None:
        """Run one statement of a file; the server's refusal is StatementFailed."""
        import pymysql

        try:
            with self.conn.cursor() as cur, pywarnings.catch_warnings():  # type: ignore
                pywarnings.simplefilter("ignore")
                cur.execute(sql)
                while cur.nextset():
                    pass
        except pymysql.err.MySQLError as exc:
            args = exc.args
            text = f"{args[0]} {args[1]}" if len(args) > 1 else str(exc)
            raise StatementFailed(redact(text)) from None

    def drop(self) -> None:
        """Drop the schema on a fresh connection (the loading one may be mid-statement:
        an interrupt); the loading session is killed first, so nothing holds the schema."""
        thread = None
        if self.conn is not None:
            try:
                thread = self.conn.thread_id()
                self.conn.close()
            except Exception:  # noqa: BLE001 - a broken connection is closed anyway
                pass
        if not self.creating:
            return
        conn = connect(self.server, self.env)
        try:
            with conn.cursor() as cur:
                cur.execute("SET SESSION TRANSACTION READ WRITE")
                if thread is not None:
                    try:
                        cur.execute(f"KILL {int(thread)}")
                    except Exception:  # noqa: BLE001 - it had ended already
                        pass
                cur.execute(f"DROP DATABASE IF EXISTS {quote_ident(self.name)}")
        finally:
            conn.close()


def open_scratch(url: DbUrl, env: str, name: str) -> MysqlScratch:
    """The throw-away schema called ``name`` on the server of ``url`` (``create()`` it)."""
    return MysqlScratch(url, env, name)
