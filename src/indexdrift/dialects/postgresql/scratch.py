"""A throw-away database on a PostgreSQL scratch server: created, loaded one statement at
a time, dropped (sources/scratch.py drives it). A database, not a schema: pg_dump
qualifies every name with ``public.``."""

from __future__ import annotations

import dataclasses

from indexdrift.core.errors import SourceError
from indexdrift.dialects.postgresql.catalog import connect
from indexdrift.dialects.postgresql.literals import quote_ident
from indexdrift.sources.scratch_session import StatementFailed
from indexdrift.sources.urls import DbUrl, redact

# Where CREATE DATABASE is run when the scratch URL names no database.
_MAINTENANCE_DB = "postgres"


class PostgresScratch:
    """A session on the throw-away database ``name``. Nothing happens on the server
    before ``create()``; ``drop()`` may run at any time after, from any thread (an
    interrupt), and more than once."""

    def __init__(self, url: DbUrl, env: str, name: str) -> None:
        self.env, self.name = env, name
        self.server = dataclasses.replace(url, database=url.database or _MAINTENANCE_DB)
        params = {k: v for k, v in url.params.items() if k != "schema"}
        self.url = dataclasses.replace(url, database=name, params=params)
        self.conn = None
        self.creating = False  # CREATE DATABASE was sent: drop() must drop it

    def create(self) -> None:
        """Create the database and connect to it; a server refusing is SourceError."""
        import psycopg  # lazy: start-up imports no driver

        admin = connect(self.server, self.env)
        try:
            admin.execute("SET default_transaction_read_only = off")
            self.creating = True
            admin.execute(f"CREATE DATABASE {quote_ident(self.name)}")
        except psycopg.Error as exc:
            raise SourceError(self.env, f"scratch server {self.server.redacted}: "
                              f"{redact(str(exc).strip())}") from None
        finally:
            admin.close()
        self.conn = connect(self.url, self.env, warn_password=False)
        self.conn.execute("SET default_transaction_read_only = off")

    def execute(self, sql: str) -> None:
        """Run one statement of a file; the server's refusal is StatementFailed."""
        import psycopg

        try:
            self.conn.execute(sql)  # type: ignore[union-attr]
        except psycopg.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
            raise StatementFailed(redact(first), getattr(exc, "sqlstate", None)) from None

    def drop(self) -> None:
        """Drop the database on a fresh connection (FORCE ends the loading session,
        mid-statement after an interrupt)."""
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:  # noqa: BLE001 - a broken connection is closed anyway
                pass
        if not self.creating:
            return
        admin = connect(self.server, self.env, warn_password=False)
        try:
            admin.execute("SET default_transaction_read_only = off")
            admin.execute(f"DROP DATABASE IF EXISTS {quote_ident(self.name)} WITH (FORCE)")
        finally:
            admin.close()


def open_scratch(url: DbUrl, env: str, name: str) -> PostgresScratch:
    """The throw-away database called ``name`` on the server of ``url`` (``create()`` it)."""
    return PostgresScratch(url, env, name)
