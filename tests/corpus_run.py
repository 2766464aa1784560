"""Run one schema-diff case of a corpus on the real server (test helper).

A case is a directory ``<engine>/<case>/`` holding ``baseline.sql`` and ``env.sql``
(``engine``: ``mariadb`` or ``postgresql``). ``round_trip`` builds both databases with the
server's own client, writes the env's migration with ``indexdrift migrate --objects
OBJECTS`` in each layout, and for each layout applies it up with the client (then
``compare --objects OBJECTS`` finds no drift, and on MariaDB the columns' own CHECKs are the
baseline's; with ``same_as_baseline`` the independent check below of the env equals the
baseline's) and then its rollback (then the env is exactly as before, by a check that
shares no code with indexdrift: SHOW CREATE TABLE of every table on MariaDB,
``pg_dump --schema-only`` on PostgreSQL).
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from conftest import POSTGRES
from mariadb_apply import apply_sql, layout_scripts
from postgres_apply import apply_layout, psql

from indexdrift.cli.main import cli

ENGINES = ("mariadb", "postgresql")


@dataclass(frozen=True, slots=True)
class Case:
    """One case: its engine, name and directory."""

    engine: str
    name: str
    path: Path

    @property
    def id(self) -> str:
        """``engine/name``, the pytest id."""
        return f"{self.engine}/{self.name}"

    def sql(self, side: str) -> str:
        """The SQL of ``baseline`` or ``env``."""
        return (self.path / f"{side}.sql").read_text(encoding="utf-8")


def cases(root: Path) -> list[Case]:
    """Every case under ``root`` (``root/<engine>/<case>/``), in name order."""
    found = []
    for engine in ENGINES:
        for path in sorted((root / engine).glob("*/baseline.sql")):
            found.append(Case(engine, path.parent.name, path.parent))
    return found


_AUTO_INCREMENT = re.compile(r" AUTO_INCREMENT=\d+")
# SHOW CREATE TABLE lines of keys and constraints (not columns).
_KEY_LINE = re.compile(r"  (PRIMARY KEY|UNIQUE KEY|KEY|FULLTEXT KEY|SPATIAL KEY|CONSTRAINT) ")


def key_order_free(create: str) -> tuple:
    """A SHOW CREATE TABLE text with its key and constraint lines as a sorted tuple (the
    columns keep their order): InnoDB lists keys by kind in creation order and ALTER TABLE
    cannot place one, so a key the migration adds comes last (compare, which ignores the
    order, agrees); everything else must be equal."""
    lines = [line.rstrip(",") for line in create.splitlines()]
    keys = sorted(line for line in lines[1:-1] if _KEY_LINE.match(line))
    rest = [line for line in lines if line not in keys]
    return tuple(rest), tuple(keys)


class MariaDBServer:
    """The MariaDB side: databases of the ``mariadb`` fixture, SQL through ``mariadb``."""

    def __init__(self, handle) -> None:
        self.handle = handle

    def create(self, sql: str, suffix: str, prefix: str = "idt") -> str:
        """A new database set up by ``sql``: its name."""
        db = self.handle.create_db(suffix, prefix)
        apply_sql(db, sql)
        return db

    def url(self, db: str) -> str:
        """The indexdrift URL of ``db``."""
        return self.handle.url(db)

    def apply(self, out: Path, layout: str, db: str, direction: str) -> None:
        """Run the env's files of ``layout`` (``up`` or ``down``) with the client."""
        up, down = layout_scripts(out, layout, "env")
        apply_sql(db, up if direction == "up" else down)

    @staticmethod
    def same(state: dict[str, str]) -> dict[str, tuple]:
        """What must equal the baseline's state after the migration (key_order_free)."""
        return {table: key_order_free(create) for table, create in state.items()}

    def column_checks(self, db: str) -> set[tuple]:
        """The column-level CHECKs (table, column, clause): a column written without its
        own (JSON's json_valid) loses it, and the column compare does not see checks."""
        return set(self.handle.query(
            "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM "
            "information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = %s AND "
            "LEVEL = 'Column'", (db,)))

    def state(self, db: str) -> dict[str, str]:
        """SHOW CREATE TABLE of every table, AUTO_INCREMENT counters left out."""
        tables = [row[0] for row in self.handle.query(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = %s", (db,))]
        return {table: _AUTO_INCREMENT.sub("", self.handle.query(
            f"SHOW CREATE TABLE `{db}`.`{table.replace('`', '``')}`")[0][1])
                for table in sorted(tables)}


class PostgresServer:
    """The PostgreSQL side: databases of the ``postgres`` fixture, SQL through ``psql``."""

    def __init__(self, handle) -> None:
        self.handle = handle

    def create(self, sql: str, suffix: str, prefix: str = "idt") -> str:
        """A new database set up by ``sql``: its name."""
        db = self.handle.create_db(suffix, prefix)
        psql(db, sql)
        return db

    def url(self, db: str) -> str:
        """The indexdrift URL of ``db``."""
        return self.handle.url(db)

    def apply(self, out: Path, layout: str, db: str, direction: str) -> None:
        """Run the env's files of ``layout`` the way its tool runs them."""
        apply_layout(out, layout, db, direction, env="env")

    @staticmethod
    def same(state: str) -> str:
        """What must equal the baseline's state after the migration: all of it (pg_dump
        sorts objects by kind and name; no database name or other owner is in it)."""
        return state

    def column_checks(self, db: str) -> set[tuple]:
        """Nothing: PostgreSQL's column DDL never rewrites a CHECK."""
        return set()

    def state(self, db: str) -> str:
        """``pg_dump --schema-only`` (without its per-run ``\\restrict`` key lines)."""
        proc = subprocess.run(["pg_dump", "--schema-only", "-h", POSTGRES["host"], "-p",
                               str(POSTGRES["port"]), "-U", POSTGRES["user"], "-d", db],
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        return "\n".join(line for line in proc.stdout.splitlines()
                         if not line.startswith(("\\restrict ", "\\unrestrict ")))


def server_for(engine: str, request):
    """The server of ``engine`` (its fixture skips when the server is down)."""
    if engine == "mariadb":
        return MariaDBServer(request.getfixturevalue("mariadb"))
    return PostgresServer(request.getfixturevalue("postgres"))


def findings(server, baseline: str, env: str, objects: str) -> list[dict]:
    """``indexdrift compare --objects OBJECTS --format json``: the env's findings."""
    result = CliRunner().invoke(cli, ["compare", f"baseline={server.url(baseline)}",
                                      f"env={server.url(env)}", "--objects", objects,
                                      "--format", "json", "--baseline", "baseline"])
    assert result.exit_code in (0, 1), result.output
    assert result.stdout, result.output
    return json.loads(result.stdout)["findings"]


def migrate(server, baseline: str, env: str, out: Path, layout: str, objects: str) -> None:
    """``indexdrift migrate`` of the env (``--drop-extra``) into ``out``."""
    result = CliRunner().invoke(cli, ["migrate", f"baseline={server.url(baseline)}",
                                      f"env={server.url(env)}", "--objects", objects,
                                      "--out", str(out), "--layout", layout, "--drop-extra",
                                      "--version", "7", "--baseline", "baseline"])
    assert result.exit_code == 0, result.output


def round_trip(case: Case, request, tmp_path: Path, layouts: tuple[str, ...],
               objects: str = "indexes,columns", *, same_as_baseline: bool = False,
               prefix: str = "idt") -> None:
    """The case's migration in every layout: up → no drift (and, with
    ``same_as_baseline``, the env's independent check equals the baseline's), rollback →
    the env as before.

    The rollback is checked to restore the env exactly, so every layout runs on the same
    two databases, one after the other; each layout's files are written first, from the
    untouched env. ``prefix`` starts the databases' names (tests running at the same time
    tell theirs apart).
    """
    server = server_for(case.engine, request)
    baseline = server.create(case.sql("baseline"), "base", prefix)
    env = server.create(case.sql("env"), "env", prefix)
    before = server.state(env)
    wanted = server.same(server.state(baseline)) if same_as_baseline else None
    drift = findings(server, baseline, env, objects)
    assert drift, f"{case.id}: no drift before the migration"
    for layout in layouts:
        migrate(server, baseline, env, tmp_path / layout, layout, objects)
    for layout in layouts:
        out = tmp_path / layout
        server.apply(out, layout, env, "up")
        left = findings(server, baseline, env, objects)
        assert left == [], f"{case.id} ({layout}): drift left after the migration: {left}"
        assert server.column_checks(env) == server.column_checks(baseline), \
            f"{case.id} ({layout}): the columns' own CHECKs differ after the migration"
        if wanted is not None:
            assert server.same(server.state(env)) == wanted, \
                f"{case.id} ({layout}): the env after the migration is not the baseline"
        server.apply(out, layout, env, "down")
        assert server.state(env) == before, f"{case.id} ({layout}): rollback not exact"
