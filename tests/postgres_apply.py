"""Write a migration between two real PostgreSQL databases and apply it the way each layout's
tool runs it (test helper, shared by the PostgreSQL migration tests).

Scripts run through the real ``psql`` client (``ON_ERROR_STOP``); golang-migrate files run
the way its postgres driver runs them: each file as one multi-statement query, which the
server executes as one implicit transaction.
"""

from __future__ import annotations

import subprocess

import psycopg
from conftest import POSTGRES
from liquibase_sql import liquibase_parts

from indexdrift.compare.tables import compare
from indexdrift.core.i18n import Catalog
from indexdrift.core.target import target_of
from indexdrift.ddl.layouts import write_layout
from indexdrift.ddl.script import build_script
from indexdrift.plan.planner import PlanOptions, plan_env
from indexdrift.sources import open_source


def _run_psql(db: str, sql: str) -> subprocess.CompletedProcess:
    return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", POSTGRES["host"],
                           "-p", str(POSTGRES["port"]), "-U", POSTGRES["user"], "-d", db,
                           "-f", "-"], input=sql, capture_output=True, text=True)


def psql(db: str, sql: str) -> None:
    """Apply a script with the real psql client, stopping at the first error."""
    proc = _run_psql(db, sql)
    assert proc.returncode == 0, f"{proc.stderr}\n--- script ---\n{sql}"


def psql_error(db: str, sql: str) -> str:
    """Run a script with psql (ON_ERROR_STOP); it must fail: its error output."""
    proc = _run_psql(db, sql)
    assert proc.returncode != 0, f"the script succeeded:\n{sql}"
    return proc.stderr


def simple_query(db: str, sql: str) -> None:
    """Run a whole file as one query, as golang-migrate's postgres driver does."""
    with psycopg.connect(dbname=db, autocommit=True, **POSTGRES) as conn:
        conn.execute(sql)


def pg_pair(postgres, prd_sql: str, dev_sql: str) -> tuple[str, str]:
    """Two new databases, prd and dev, each set up by its SQL: their names."""
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, prd_sql)
    postgres.run(dev, dev_sql)
    return prd, dev


def migrate_files(postgres, prd: str, dev: str, out, layout: str, *,
                  explain: Catalog | None = None, **options) -> list:
    """Write dev's migration to prd (``--drop-extra``; ``options`` are PlanOptions;
    ``explain``: with the plain-language comments of ``--explain`` in that language)."""
    snaps = {"prd": open_source(postgres.url(prd), "prd", detail=True),
             "dev": open_source(postgres.url(dev), "dev", detail=True)}
    comparison = compare(snaps, "prd")
    opts = PlanOptions(drop_extra=True, **options)
    target = target_of(snaps["dev"].flavor, snaps["dev"].version)
    script = build_script(plan_env(comparison, "dev", target, opts), comparison, opts,
                          explain=explain)
    return write_layout([script], str(out), layout, "7")


def apply_layout(out, layout: str, db: str, direction: str, env: str = "dev") -> None:
    """Run an env's files (``up`` or ``down``) the way the layout's tool runs them."""
    if layout == "plain":
        psql(db, (out / (f"{env}.sql" if direction == "up" else f"{env}.rollback.sql"))
             .read_text())
        return
    files = sorted((out / env).iterdir())
    if layout == "liquibase":
        up, down = liquibase_parts(files[0].read_text())
        psql(db, up if direction == "up" else down)
    elif layout == "flyway":
        prefix = "V" if direction == "up" else "U"
        psql(db, next(f for f in files if f.name.startswith(prefix)
                      and f.suffix == ".sql").read_text())
    else:
        chosen = [f for f in files if f.name.endswith(f".{direction}.sql")]
        chosen.sort(key=lambda f: int(f.name.split("_")[0]), reverse=direction == "down")
        for path in chosen:
            simple_query(db, path.read_text())


def finding_set(postgres, prd: str, dev: str) -> set[tuple]:
    """dev's index findings against prd as (kind, table, index, changes)."""
    snaps = {"prd": open_source(postgres.url(prd), "prd"),
             "dev": open_source(postgres.url(dev), "dev")}
    return {(f.kind, f.table, f.index, tuple(f.changes))
            for f in compare(snaps, "prd").findings}


def index_state(postgres, db: str) -> dict:
    """Every index of every table, by its full key (what a rollback must restore)."""
    snap = open_source(postgres.url(db), "x")
    return {t: {k: ix.full_key() for k, ix in table.indexes.items()}
            for t, table in snap.tables.items()}


def assert_round_trip(postgres, prd: str, dev: str, out, layout: str, original: set,
                      before: dict, *, tables_stay: bool = False) -> None:
    """Apply dev's written files up: no finding is left (table findings may stay when
    ``tables_stay``: migrations do not create or drop tables); then down: the ``original``
    findings and the index state ``before`` are back."""
    apply_layout(out, layout, dev, "up")
    left = finding_set(postgres, prd, dev)
    if tables_stay:
        left = {f for f in left if not f[0].startswith("table")}
    assert left == set()
    apply_layout(out, layout, dev, "down")
    assert finding_set(postgres, prd, dev) == original
    assert index_state(postgres, dev) == before
