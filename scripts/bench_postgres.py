#!/usr/bin/env python3
"""PostgreSQL benchmark: a live 3-env ``indexdrift compare`` against the bare catalog queries.

Builds (once; kept between runs unless --rebuild) three databases of N tables (default
10,000) with drift between them, then takes --runs rounds (after one warm-up round); each
round runs, for every source tree given (``--src DIR``, repeatable: another checkout's
src/ for before/after), in turn:

- the floor: the three bare catalog queries (the very query that tree's indexdrift sends)
  through ``psql``, one after another;
- ``indexdrift compare`` of the three live databases, default options (usage counters and
  lint advisories included), ``--format json -o FILE``: a fresh process each time, so
  Python start-up and imports are included; its CPU time (user + system) is measured too.

Taking turns round by round keeps a change of machine load (other sessions, the server's
caches) from favouring one side; the ratio is taken within each round and the median of the
rounds' ratios is printed with them.

    scripts/bench_postgres.py [--tables 10000] [--runs 5] [--prefix NAME] [--src DIR]...
                              [--json FILE] [--rebuild] [--drop]

Database names: PREFIX<size>_prd / _stg / _dev (``--prefix hpg --tables 2000``: hpg2k_prd).
Connection: INDEXDRIFT_BENCH_PG_HOST/PORT/USER (default 127.0.0.1, 5432, postgres).
Kept out of the test suite: it takes minutes and measures, it does not assert.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from bench_bytecode import use_bytecode

ROOT = Path(__file__).resolve().parent.parent

HOST = os.environ.get("INDEXDRIFT_BENCH_PG_HOST", "127.0.0.1")
PORT = os.environ.get("INDEXDRIFT_BENCH_PG_PORT", "5432")
USER = os.environ.get("INDEXDRIFT_BENCH_PG_USER", "postgres")
ENVS = ("prd", "stg", "dev")
# Tables per transaction. A table here takes ~10 locks (the table, its TOAST table and
# index, 3-5 indexes, a constraint): 50 stay well inside max_locks_per_transaction = 64
# × max_connections, with three builds at once and other sessions on the server.
BATCH = 50


def psql(db: str, *args: str, input_text: str | None = None) -> str:
    """Run psql on ``db``; stop on the first error."""
    proc = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", HOST, "-p", PORT,
                           "-U", USER, "-d", db, *args], input=input_text, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise SystemExit(f"psql failed on {db}: {proc.stderr.strip()}")
    return proc.stdout


def size_label(tables: int) -> str:
    """``2000`` -> ``2k``; other counts as they are."""
    return f"{tables // 1000}k" if tables % 1000 == 0 else str(tables)


def db_name(prefix: str, tables: int, env: str) -> str:
    """The benchmark database of one env: PREFIX<size>_<env>."""
    return f"{prefix}{size_label(tables)}_{env}"


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


def build(db: str, env: str, tables: int) -> None:
    """(Re)create one env's database, BATCH tables per transaction."""
    psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db}")
    psql("postgres", "-c", f"CREATE DATABASE {db}")
    lines: list[str] = []
    for start in range(0, tables, BATCH):
        lines.append("BEGIN;")
        for i in range(start, min(tables, start + BATCH)):
            lines.extend(table_sql(env, i))
        lines.append("COMMIT;")
    psql(db, "-f", "-", input_text="\n".join(lines))
    psql(db, "-c", "VACUUM ANALYZE")  # settled catalogs: every round sees the same server


def table_count(db: str) -> int:
    """Tables of ``db``'s public schema, -1 when it does not exist."""
    proc = subprocess.run(["psql", "-X", "-A", "-t", "-h", HOST, "-p", PORT, "-U", USER,
                           "-d", db, "-c",
                           "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                           "c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'"],
                          capture_output=True, text=True)
    return int(proc.stdout.strip() or -1) if proc.returncode == 0 else -1


def server_version() -> int:
    """server_version_num of the benchmark server."""
    return int(psql("postgres", "-A", "-t", "-c", "SHOW server_version_num").strip())


class ChildRun(NamedTuple):
    """One child process: wall seconds and its CPU time (user + system) in seconds."""

    seconds: float
    cpu: float


def run_child(cmd: list[str], *, env: dict[str, str] | None = None,
              ok_codes: tuple[int, ...] = (0,)) -> ChildRun:
    """Run a command (output discarded); its wall seconds and CPU time."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        # os.wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix all children).
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in ok_codes:
            err.seek(0)
            raise SystemExit(f"command failed ({code}): {' '.join(cmd)}\n"
                             + err.read().decode(errors="replace"))
    return ChildRun(elapsed, usage.ru_utime + usage.ru_stime)


def floor_query(tree: str, version: int) -> str:
    """The catalog query of the tree being timed (it may differ from this checkout's), with
    the schema filled in; a tree whose catalog_query takes a usage flag asks for the plain
    catalog query (the floor is the catalog, not the usage counters)."""
    code = ("import sys; from indexdrift.dialects.postgresql.catalog import catalog_query; "
            "sys.stdout.write(catalog_query(int(sys.argv[1])))")
    proc = subprocess.run([sys.executable, "-c", code, str(version)], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": tree})
    if proc.returncode != 0:
        raise SystemExit(f"cannot get the catalog query of {tree}: {proc.stderr.strip()}")
    return proc.stdout.replace("%s", "'public'")


class Tree(NamedTuple):
    """One source tree to time: its floor query file and its compare command."""

    path: str
    query_file: Path
    output: Path


def main() -> None:
    """Build the databases if needed, take the rounds, print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5, help="timed rounds after a warm-up")
    parser.add_argument("--prefix", default="indexdrift_bench",
                        help="database names PREFIX<size>_prd/_stg/_dev (default "
                             "indexdrift_bench: indexdrift_bench10k_prd ...)")
    parser.add_argument("--src", action="append", default=None, metavar="DIR",
                        help="source tree to time (PYTHONPATH of the child and of the floor "
                             "query; repeatable, taking turns; default this checkout's src/)")
    parser.add_argument("--json", metavar="FILE",
                        help="keep the last JSON report (of each tree: FILE, FILE.2, ...)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the databases")
    parser.add_argument("--drop", action="store_true", help="drop the databases at the end")
    parser.add_argument("--source-only", dest="bytecode", action="store_false",
                        help="children compile every module from source on every run "
                             "(default: compiled bytecode in a throw-away cache, as installed)")
    args = parser.parse_args()
    print(use_bytecode(args.bytecode), flush=True)
    if args.tables < 101 or args.runs < 1:
        parser.error("--tables must be at least 101 (so every kind of drift occurs), "
                     "--runs at least 1")
    trees = [str(Path(t).resolve()) for t in (args.src or [str(ROOT / "src")])]
    dbs = {env: db_name(args.prefix, args.tables, env) for env in ENVS}

    started = time.perf_counter()
    todo = [e for e in ENVS if args.rebuild or table_count(dbs[e]) != args.tables]
    if todo:
        print(f"building {', '.join(dbs[e] for e in todo)} ({args.tables} tables each)...",
              flush=True)
        with ThreadPoolExecutor(len(todo)) as pool:
            list(pool.map(lambda e: build(dbs[e], e, args.tables), todo))
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)

    version = server_version()
    work = Path(tempfile.mkdtemp(prefix="bench-postgres-"))
    urls = [f"{e}=postgresql://{USER}@{HOST}:{PORT}/{dbs[e]}" for e in ENVS]
    setup: list[Tree] = []
    for n, tree in enumerate(trees):
        query_file = work / f"floor-{n}.sql"
        query_file.write_text(floor_query(tree, version))
        setup.append(Tree(tree, query_file, work / f"report-{n}.json"))

    def floor(tree: Tree) -> float:
        start = time.perf_counter()
        for env in ENVS:
            psql(dbs[env], "-A", "-t", "-o", os.devnull, "-f", str(tree.query_file))
        return time.perf_counter() - start

    def compare(tree: Tree) -> ChildRun:
        return run_child([sys.executable, "-m", "indexdrift", "compare", *urls,
                          "--format", "json", "-o", str(tree.output)],
                         env={**os.environ, "PYTHONPATH": tree.path}, ok_codes=(0, 1))

    floors: dict[str, list[float]] = {t.path: [] for t in setup}
    tools: dict[str, list[ChildRun]] = {t.path: [] for t in setup}
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    for tree in setup:  # warm-up round: the server's catalog caches, the OS page cache
        floor(tree)
        compare(tree)
    for n in range(args.runs):
        for tree in setup:
            f = floor(tree)
            c = compare(tree)
            floors[tree.path].append(f)
            tools[tree.path].append(c)
            print(f"round {n + 1} {tree.path}: floor {f:.2f} s, compare {c.seconds:.2f} s "
                  f"(CPU {c.cpu:.2f} s): {c.seconds / f:.2f}x", flush=True)
    load = os.getloadavg()

    print(f"\n{args.tables} tables x 3 envs, {args.runs} rounds; load average after: "
          f"{' '.join(f'{x:.2f}' for x in load)}")
    for tree in setup:
        fl, runs = floors[tree.path], tools[tree.path]
        ratios = [c.seconds / f for c, f in zip(runs, fl, strict=True)]
        print(f"{tree.path}:")
        print(f"  psql: 3 catalog queries, one after another  median {statistics.median(fl):6.2f}"
              " s  (runs: " + ", ".join(f"{x:.2f}" for x in fl) + ")")
        print(f"  indexdrift compare, 3 live envs             median "
              f"{statistics.median(c.seconds for c in runs):6.2f} s  (runs: "
              + ", ".join(f"{c.seconds:.2f}" for c in runs) + ")")
        print(f"  its CPU (user + system)                     median "
              f"{statistics.median(c.cpu for c in runs):6.2f} s  (runs: "
              + ", ".join(f"{c.cpu:.2f}" for c in runs) + ")")
        print(f"  ratio compare / floor, per round: median {statistics.median(ratios):.2f}x "
              "(rounds: " + ", ".join(f"{r:.2f}" for r in ratios) + ")")
    if args.json:
        for n, tree in enumerate(setup):
            shutil.copyfile(tree.output, args.json if n == 0 else f"{args.json}.{n + 1}")
    shutil.rmtree(work, ignore_errors=True)
    if args.drop:
        for db in dbs.values():
            psql("postgres", "-c", f"DROP DATABASE IF EXISTS {db}")


if __name__ == "__main__":
    main()
