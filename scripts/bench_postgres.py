#!/usr/bin/env python3
"""PostgreSQL benchmark: a live 3-env ``indexdrift compare`` against the bare catalog queries.

Builds (once; kept between runs unless --rebuild) three databases of N tables (default
10,000) with drift between them, then times, as medians of --runs runs:

- the three bare catalog queries (the very query indexdrift sends) through ``psql``,
  sequentially and in parallel (indexdrift reads envs concurrently);
- ``indexdrift compare`` of the three live databases (a fresh process each time, so
  Python start-up and imports are included).

    scripts/bench_postgres.py [--tables 10000] [--runs 5] [--rebuild] [--drop]

Connection: INDEXDRIFT_BENCH_PG_HOST/PORT/USER (default 127.0.0.1, 5432, postgres).
Kept out of the test suite: it takes minutes and measures, it does not assert.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


HOST = os.environ.get("INDEXDRIFT_BENCH_PG_HOST", "127.0.0.1")
PORT = os.environ.get("INDEXDRIFT_BENCH_PG_PORT", "5432")
USER = os.environ.get("INDEXDRIFT_BENCH_PG_USER", "postgres")
ENVS = ("prd", "stg", "dev")
BATCH = 100  # tables per transaction: bigger ones run out of lock slots (3 builds at once)


def psql(db: str, *args: str, input_text: str | None = None) -> str:
    """Run psql on ``db``; stop on the first error."""
    proc = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", HOST, "-p", PORT,
                           "-U", USER, "-d", db, *args], input=input_text, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise SystemExit(f"psql failed on {db}: {proc.stderr.strip()}")
    return proc.stdout


def db_name(env: str) -> str:
    return f"indexdrift_bench_{env}"


def table_sql(env: str, i: int) -> Iterator[str]:
    """One table with a primary key and secondary indexes; dev and stg drift a little."""
    t = f"t{i:05d}"
    yield (f"CREATE TABLE {t} (id bigint PRIMARY KEY, tenant int, code text, created_at "
           "timestamptz, status int, note text);")
    yield f"CREATE INDEX {t}_tenant_code ON {t} (tenant, code);"
    if env == "dev" and i % 50 == 0:
        yield f"CREATE INDEX {t}_created ON {t} (created_at);"  # changed: no DESC
    else:
        yield f"CREATE INDEX {t}_created ON {t} (created_at DESC);"
    if not (env == "stg" and i % 97 == 0):  # missing in stg
        yield f"CREATE INDEX {t}_open ON {t} (status) WHERE status < 3;"
    if i % 3 == 0:
        yield f"ALTER TABLE {t} ADD CONSTRAINT {t}_code UNIQUE (tenant, code);"
    if env == "dev" and i % 101 == 0:
        yield f"CREATE INDEX {t}_extra ON {t} (note);"  # extra in dev


def build(env: str, tables: int) -> None:
    db = db_name(env)
    psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db}")
    psql("postgres", "-c", f"CREATE DATABASE {db}")
    lines: list[str] = []
    for start in range(0, tables, BATCH):
        lines.append("BEGIN;")
        for i in range(start, min(tables, start + BATCH)):
            lines.extend(table_sql(env, i))
        lines.append("COMMIT;")
    psql(db, "-f", "-", input_text="\n".join(lines))


def table_count(env: str) -> int:
    try:
        out = psql(db_name(env), "-A", "-t", "-c",
                   "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                   "c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'")
    except SystemExit:
        return -1
    return int(out.strip() or -1)


def server_version() -> int:
    return int(psql("postgres", "-A", "-t", "-c", "SHOW server_version_num").strip())


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases")
    parser.add_argument("--drop", action="store_true", help="drop the databases at the end")
    args = parser.parse_args()

    started = time.perf_counter()
    todo = [e for e in ENVS if args.rebuild or table_count(e) != args.tables]
    if todo:
        print(f"building {', '.join(db_name(e) for e in todo)} ({args.tables} tables each)...",
              flush=True)
        with ThreadPoolExecutor(len(todo)) as pool:
            list(pool.map(lambda e: build(e, args.tables), todo))
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    # The floor is the query of the code being timed (--src), which may not be this one's.
    sql = subprocess.run(
        [sys.executable, "-c", "import sys; from indexdrift.dialects.postgresql.catalog import "
         "catalog_query; sys.stdout.write(catalog_query(int(sys.argv[1])))",
         str(server_version())], capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": args.src}).stdout.replace("%s", "'public'")
    query_file = Path(tempfile.mkstemp(suffix=".sql")[1])
    query_file.write_text(sql)

    def bare(env: str) -> None:
        psql(db_name(env), "-A", "-t", "-o", os.devnull, "-f", str(query_file))

    def bare_sequential() -> None:
        for env in ENVS:
            bare(env)

    def bare_parallel() -> None:
        with ThreadPoolExecutor(len(ENVS)) as pool:
            list(pool.map(bare, ENVS))

    out = Path(tempfile.mkdtemp()) / "report.json"
    urls = [f"{e}=postgresql://{USER}@{HOST}:{PORT}/{db_name(e)}" for e in ENVS]

    def compare() -> None:
        proc = subprocess.run([sys.executable, "-m", "indexdrift", "compare", *urls,
                               "-o", str(out)], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        if proc.returncode not in (0, 1):
            raise SystemExit(f"indexdrift failed: {proc.stderr.strip()}")

    compare()  # warm the server's catalog caches like the bare queries' first run does
    bare_sequential()
    results = {}
    for name, fn in (("psql: 3 catalog queries, one after another", bare_sequential),
                     ("psql: 3 catalog queries in parallel", bare_parallel),
                     ("indexdrift compare, 3 live envs", compare)):
        times = [timed(fn) for _ in range(args.runs)]
        results[name] = statistics.median(times)
        print(f"{name:48s} median {results[name]:6.2f} s  (runs: "
              + ", ".join(f"{t:.2f}" for t in times) + ")", flush=True)
    ours = results["indexdrift compare, 3 live envs"]
    for name in list(results)[:2]:
        print(f"ratio compare / {name}: {ours / results[name]:.2f}x")
    query_file.unlink()
    if args.drop:
        for env in ENVS:
            psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db_name(env)}")


if __name__ == "__main__":
    main()
