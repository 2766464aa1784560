#!/usr/bin/env python3
"""Benchmark indexdrift on three large environments (a plain script, not a test).

What it does, for each database section (MariaDB now; PostgreSQL can be added as another
``bench_<db>`` function with its own flag):

1. builds three throw-away databases (prd, stg, dev) of ``--tables`` tables with about four
   indexes each (PK, UNIQUE, prefix, composite, DESC) and a little drift between them;
2. times the three bare ``information_schema.STATISTICS`` queries through the server's own
   command-line client (one after the other, and all three at once), plus indexdrift's
   UNION ALL catalog query and its TABLES part alone (what the TABLES part costs);
3. times ``indexdrift compare`` on the three live URLs, as a subprocess (end to end, with
   the child's peak memory and CPU time) and in-process (with the read / compare / render split);
4. exports the three envs with ``indexdrift export`` and times ``compare`` on the CSV files
   the same ways.

``--fleet N`` (repeatable) is a mode of its own: a baseline and a fleet of N CSV targets of
``--tables`` tables (default 200), declared in an indexdrift.toml; it reports the peak
memory and time of ``compare`` per N beside those of one target with the baseline.
``--live-fleet N`` (repeatable) is another: a baseline schema and N target schemas on the
MariaDB/MySQL server, ``compare --jobs 1`` and ``--jobs J`` beside the bare STATISTICS
queries of every schema one after another and J at once, with the server's table caches.

Every figure is the median of ``--runs`` runs (after one warm-up run), with the runs shown.
The live sections take each round's measures in an order of its own (drawn with ``--seed``;
``--fixed-order`` for one order), since the server's cost depends on what ran just before.
It prints a results table and a Markdown snippet for the README. No timed assertions.

Run: ``.venv/bin/python scripts/bench.py [--tables 10000] [--runs 5] [--keep] [--reuse]
[--src DIR]...``
or ``.venv/bin/python scripts/bench.py --fleet 100 --fleet 500 [--tables 200] [--jobs 4]``
or ``.venv/bin/python scripts/bench.py --live-fleet 50 [--tables 200] [--jobs 4] [--keep --reuse]``

Which code it times: the subprocess measures run the ``indexdrift`` script beside this
interpreter, the in-process ones import ``indexdrift`` from ``sys.path``: both the
installed tree (an editable install: that checkout's src/) unless ``PYTHONPATH`` says
another. ``--src DIR`` (repeatable) adds a live subprocess compare per tree, taking turns,
and says whether their JSON reports are the same (but for ``uptime_seconds``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from bench_bytecode import use_bytecode

ENVS = ("prd", "stg", "dev")

# --------------------------------------------------------------------------------------
# Results


@dataclass
class Result:
    """One measured figure: the runs (seconds) and, for child processes, peak RSS (KiB)."""

    section: str
    name: str
    runs: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # child processes' user + system seconds
    server_cpu: list[float] = field(default_factory=list)  # the server's, during each run
    note: str = ""

    @property
    def median(self) -> float:
        """Median of the runs in seconds."""
        return statistics.median(self.runs)

    @property
    def peak_mib(self) -> float | None:
        """Largest peak RSS of the runs in MiB, when measured."""
        return max(self.peak_kib) / 1024 if self.peak_kib else None

    @property
    def cpu_median(self) -> float | None:
        """Median CPU seconds (user + system) of the child processes, when measured."""
        return statistics.median(self.cpu) if self.cpu else None

    @property
    def server_cpu_median(self) -> float | None:
        """Median CPU seconds the database server used during a run, when measured."""
        return statistics.median(self.server_cpu) if self.server_cpu else None


@dataclass
class Report:
    """All results plus free-form facts (machine, server, sizes, ratios)."""

    results: list[Result] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)

    def add(self, result: Result) -> Result:
        """Keep a result and print it as soon as it is known."""
        self.results.append(result)
        runs = ", ".join(f"{r:.3f}" for r in result.runs)
        mem = f", peak {result.peak_mib:.0f} MiB" if result.peak_mib else ""
        cpu = f", CPU {result.cpu_median:.3f} s" if result.cpu else ""
        server = (f", server CPU {result.server_cpu_median:.3f} s" if result.server_cpu
                  else "")
        print(f"  {result.section}: {result.name}: median {result.median:.3f} s "
              f"(runs {runs}){mem}{cpu}{server}", flush=True)
        return result


# --------------------------------------------------------------------------------------
# Timing helpers


class ChildRun(NamedTuple):
    """One child process: wall seconds, its peak RSS in KiB, its CPU (user + system) s."""

    seconds: float
    peak_kib: int
    cpu: float


def run_child(cmd: list[str], *, env: dict[str, str] | None = None, stdout=subprocess.DEVNULL,
              ok_codes: tuple[int, ...] = (0,)) -> ChildRun:
    """Run a command; return its wall seconds, peak RSS and CPU time."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=err, env=env)
        # os.wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix all children).
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in ok_codes:
            err.seek(0)
            raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n"
                             + err.read().decode(errors="replace"))
    return ChildRun(elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime)


def run_children(cmds: list[list[str]], env: dict[str, str] | None = None) -> float:
    """Run commands at the same time; return the wall time until the last one ends."""
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(cmds)) as pool:
        for future in [pool.submit(run_child, c, env=env) for c in cmds]:
            future.result()
    return time.perf_counter() - start


class ServerCpu:
    """The CPU seconds (user + system, all threads) a database server's process has used,
    read from /proc: only for a server on this machine, found by its pid file.

    Beside a run's own CPU it gives the run's CPU budget: on C cores no run can take less
    wall time than (client CPU + server CPU) / C, however well its parts overlap.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.tick = os.sysconf("SC_CLK_TCK")

    @classmethod
    def from_pid_file(cls, pid_file: str) -> ServerCpu | None:
        """The server whose pid file this is, if it runs here and /proc shows it."""
        try:
            pid = int(Path(pid_file).read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        server = cls(pid)
        try:
            server.seconds()
        except (OSError, ValueError, IndexError):
            return None
        return server

    def seconds(self) -> float:
        """User + system CPU seconds so far (stat fields 14 and 15, after the comm field)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.tick


@dataclass
class Measure:
    """Something to time: ``fn`` returns seconds, or (seconds, peak KiB)."""

    name: str
    fn: Callable[[], float | tuple[float, int] | ChildRun]
    note: str = ""


def run_rounds(report: Report, section: str, measures: list[Measure], runs: int,
               server_cpu: ServerCpu | None = None, order: random.Random | None = None) -> None:
    """Warm every measure up once, then run them in turn ``runs`` times; with
    ``server_cpu``, also the server's CPU during each run; with ``order``, each round
    takes the measures in an order of its own drawn from it.

    Taking turns, rather than all runs of one measure and then the next, keeps a change
    of machine load (other processes, the server's caches) from favouring one of them,
    and lets ratios be taken within a round. A fixed order within the rounds favours some:
    a database server's cost depends on what it ran just before (MariaDB reopens tables
    its caches let go), so the same code measured at two places of a round gave 1.02×
    and 1.35× the floor (docs/performance.md).
    """
    results = [Result(section, m.name, note=m.note) for m in measures]
    for m in measures:
        m.fn()
    for _ in range(runs):
        pairs = list(zip(measures, results, strict=True))
        if order is not None:
            order.shuffle(pairs)
        for m, result in pairs:
            before = server_cpu.seconds() if server_cpu else 0.0
            value = m.fn()
            if server_cpu:
                result.server_cpu.append(server_cpu.seconds() - before)
            if isinstance(value, tuple):
                result.runs.append(value[0])
                result.peak_kib.append(value[1])
                if isinstance(value, ChildRun):
                    result.cpu.append(value.cpu)
            else:
                result.runs.append(value)
    for result in results:
        report.add(result)


def ratio_fact(report: Report, section: str, top: str, bottom: str) -> None:
    """Median of the per-round ratios of two measures taken in the same rounds."""
    a, b = result_of(report, section, top), result_of(report, section, bottom)
    ratios = [x / y for x, y in zip(a.runs, b.runs, strict=True)]
    report.facts[f"{section}: {top} / {bottom}"] = (
        f"{statistics.median(ratios):.2f}x (rounds: " + ", ".join(f"{r:.2f}" for r in ratios)
        + ")")


def cpu_budget_fact(report: Report, section: str, name: str, floor: str) -> None:
    """What a measure's CPU (its process's and the server's during it) allows on this
    machine's cores, beside the floor's wall time: the least wall time any run could take."""
    run, base = result_of(report, section, name), result_of(report, section, floor)
    if not (run.cpu and run.server_cpu):
        return
    cores = os.cpu_count() or 1
    total = [c + s for c, s in zip(run.cpu, run.server_cpu, strict=True)]
    bounds = [t / cores for t in total]
    report.facts[f"{section}: CPU budget of {name}"] = (
        f"client {run.cpu_median:.2f} s + server {run.server_cpu_median:.2f} s; "
        f"on {cores} cores no run can take less than {statistics.median(bounds):.2f} s "
        f"(rounds: {', '.join(f'{b:.2f}' for b in bounds)}); {floor}: "
        f"{base.median:.2f} s, of it server {base.server_cpu_median or 0:.2f} s")


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


# --------------------------------------------------------------------------------------
# The generated schema, independent of the database: tables and their indexes per env.


@dataclass(frozen=True)
class Part:
    """One key part: a column, an optional prefix length, DESC."""

    column: str
    prefix: int | None = None
    desc: bool = False


@dataclass(frozen=True)
class IndexSpec:
    """One index of a generated table."""

    name: str
    parts: tuple[Part, ...]
    unique: bool = False
    primary: bool = False
    ignored: bool = False  # invisible (MariaDB IGNORED, MySQL INVISIBLE)


COLUMNS = (("id", "BIGINT NOT NULL"), ("tenant_id", "INT NOT NULL"),
           ("code", "VARCHAR(64) NOT NULL"), ("email", "VARCHAR(190)"),
           ("name", "VARCHAR(100)"), ("status", "SMALLINT NOT NULL DEFAULT 0"),
           ("created_at", "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP"))


def _p(*spec: str) -> tuple[Part, ...]:
    """Parts from short texts: ``email(20)``, ``created_at DESC``."""
    parts = []
    for text in spec:
        desc = text.endswith(" DESC")
        text = text.removesuffix(" DESC")
        prefix = None
        if text.endswith(")"):
            text, _, size = text[:-1].partition("(")
            prefix = int(size)
        parts.append(Part(text, prefix, desc))
    return tuple(parts)


def baseline_indexes(i: int) -> list[IndexSpec]:
    """The prd indexes of table ``i``: four kinds of table, 4 indexes on average."""
    kind = i % 4
    if kind == 0:
        return [IndexSpec("PRIMARY", _p("id"), unique=True, primary=True),
                IndexSpec("uq_tenant_code", _p("tenant_id", "code"), unique=True),
                IndexSpec("ix_email", _p("email(20)")),
                IndexSpec("ix_created", _p("created_at", "status"))]
    if kind == 1:
        return [IndexSpec("PRIMARY", _p("id"), unique=True, primary=True),
                IndexSpec("uq_tenant_code", _p("tenant_id", "code"), unique=True),
                IndexSpec("ix_email", _p("email")),
                IndexSpec("ix_name_status", _p("name(10)", "status")),
                IndexSpec("ix_created", _p("created_at", "status"))]
    if kind == 2:
        return [IndexSpec("PRIMARY", _p("tenant_id", "id"), unique=True, primary=True),
                IndexSpec("ix_email", _p("email(20)")),
                IndexSpec("ix_status_created", _p("status", "created_at DESC"))]
    return [IndexSpec("PRIMARY", _p("id"), unique=True, primary=True),
            IndexSpec("uq_email", _p("email"), unique=True),
            IndexSpec("ix_tenant_status_created", _p("tenant_id", "status", "created_at")),
            IndexSpec("ix_created", _p("created_at", "status"))]


def env_indexes(env: str, i: int) -> list[IndexSpec] | None:
    """Table ``i`` in ``env``: the baseline with a little drift (None: table missing)."""
    indexes = baseline_indexes(i)

    def secondary() -> list[IndexSpec]:
        return [ix for ix in indexes if not ix.primary]

    def replace(old: IndexSpec, new: IndexSpec) -> None:
        indexes[indexes.index(old)] = new

    # Several kinds can hit one table; each looks at the table as the previous left it.
    if env == "stg":
        if i % 97 == 5:  # missing
            indexes.remove(secondary()[-1])
        if i % 101 == 7:  # extra
            indexes.append(IndexSpec("ix_extra_name", _p("name")))
        if i % 107 == 13 and secondary()[0].name == "ix_email":  # changed prefix length
            replace(secondary()[0], IndexSpec("ix_email", _p("email(30)")))
        if i % 103 == 11:  # renamed
            old = secondary()[0]
            replace(old, IndexSpec(old.name + "_v2", old.parts, old.unique))
    elif env == "dev":
        if i % 211 == 17:
            return None  # table missing
        if i % 89 == 3:  # changed column order
            old = secondary()[-1]
            replace(old, IndexSpec(old.name, tuple(reversed(old.parts)), old.unique))
        if i % 109 == 19:  # changed visibility
            old = secondary()[-1]
            replace(old, IndexSpec(old.name, old.parts, old.unique, ignored=True))
        if i % 113 == 23 and secondary()[0].unique:  # changed uniqueness
            old = secondary()[0]
            replace(old, IndexSpec(old.name, old.parts, unique=False, ignored=old.ignored))
    return indexes


def env_tables(env: str, tables: int) -> Iterator[tuple[str, list[IndexSpec]]]:
    """Every table of ``env`` with its indexes (dev also has a few tables of its own)."""
    for i in range(tables):
        indexes = env_indexes(env, i)
        if indexes is not None:
            yield f"t{i:05d}", indexes
    if env == "dev":
        for k in range(5):
            yield f"dev_only_{k}", baseline_indexes(k)


# --------------------------------------------------------------------------------------
# MariaDB / MySQL section


@dataclass
class MySQLServer:
    """Connection facts for the server's command-line client and for indexdrift URLs."""

    host: str
    port: int
    user: str
    password: str
    client: str

    def client_cmd(self, *args: str) -> list[str]:
        """The client with connection options (the password goes in MYSQL_PWD)."""
        return [self.client, f"--host={self.host}", f"--port={self.port}",
                f"--user={self.user}", *args]

    def client_env(self) -> dict[str, str]:
        """Environment for child processes: the password where clients look for it."""
        env = dict(os.environ)
        if self.password:
            env["MYSQL_PWD"] = self.password
        return env

    def url(self, database: str) -> str:
        """The indexdrift URL of a database (no password in it)."""
        return f"mysql://{self.user}@{self.host}:{self.port}/{database}"

    def query(self, sql: str) -> str:
        """Run one statement through the client and return its batch output."""
        return subprocess.run(self.client_cmd("-B", "-N", "-e", sql), env=self.client_env(),
                              check=True, capture_output=True, text=True).stdout

    def script(self, lines: Iterator[str]) -> None:
        """Feed a generated SQL script to one client process."""
        proc = subprocess.Popen(self.client_cmd("--batch"), stdin=subprocess.PIPE,
                                env=self.client_env(), text=True)
        assert proc.stdin is not None
        for line in lines:
            proc.stdin.write(line)
        proc.stdin.close()
        if proc.wait() != 0:
            raise SystemExit(f"{self.client} failed building the benchmark databases")


def _ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def mysql_create_table(table: str, indexes: list[IndexSpec]) -> str:
    """CREATE TABLE for MariaDB/MySQL."""
    items = [f"{_ident(c)} {t}" for c, t in COLUMNS]
    for ix in indexes:
        cols = ", ".join(_ident(p.column) + (f"({p.prefix})" if p.prefix else "")
                         + (" DESC" if p.desc else "") for p in ix.parts)
        if ix.primary:
            items.append(f"PRIMARY KEY ({cols})")
        else:
            kind = "UNIQUE KEY" if ix.unique else "KEY"
            items.append(f"{kind} {_ident(ix.name)} ({cols})" + (" IGNORED" if ix.ignored else ""))
    return f"CREATE TABLE {_ident(table)} (\n  " + ",\n  ".join(items) + "\n) ENGINE=InnoDB;\n"


def mysql_build_env(server: MySQLServer, database: str, env: str, tables: int) -> None:
    """(Re)create one env's database with one client process and a generated script."""
    def lines() -> Iterator[str]:
        yield f"DROP DATABASE IF EXISTS {_ident(database)};\n"
        yield f"CREATE DATABASE {_ident(database)} CHARACTER SET utf8mb4;\n"
        yield f"USE {_ident(database)};\n"
        for name, indexes in env_tables(env, tables):
            yield mysql_create_table(name, indexes)
    server.script(lines())


def mysql_table_count(server: MySQLServer, database: str) -> int:
    """How many base tables the database has (0 when it does not exist)."""
    out = server.query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                       f"'{database}' AND TABLE_TYPE = 'BASE TABLE'")
    return int(out.strip() or 0)


STATISTICS_SQL = ("SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, "
                  "COLUMN_NAME, COLLATION, INDEX_TYPE, SUB_PART "
                  "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '{schema}'")
TABLES_SQL = ("SELECT 'T', TABLE_NAME FROM information_schema.TABLES "
              "WHERE TABLE_SCHEMA = '{schema}' AND TABLE_TYPE = 'BASE TABLE'")
BARE_SEQ = "bare STATISTICS queries, one after another"
BARE_PAR = "bare STATISTICS queries, 3 at once"


def indexdrift_catalog_sql(server: MySQLServer, schema: str, *, with_tables: bool) -> str:
    """indexdrift's catalog query (compare mode) with the schema filled in; optionally
    without its first part, the TABLES one, to see what that part costs."""
    from indexdrift.dialects.mysql.catalog import catalog_query, parse_server_version

    flavor, version = parse_server_version(server.query("SELECT VERSION()").strip())
    sql, _ = catalog_query(flavor, version, False)
    parts = sql.split("\nUNION ALL\n")
    assert "information_schema.TABLES" in parts[0], "catalog query layout changed"
    if not with_tables:
        parts = parts[1:]
    quoted = "'" + schema.replace("'", "''") + "'"
    return "\nUNION ALL\n".join(p.replace("%%", "%").replace("%s", quoted) for p in parts)


def mysql_query_measures(server: MySQLServer, databases: dict[str, str]) -> list[Measure]:
    """Bare catalog queries through the client: STATISTICS, TABLES, indexdrift's UNION."""
    env = server.client_env()

    def cmds(sqls: list[str]) -> list[list[str]]:
        return [server.client_cmd("-B", "-e", sql) for sql in sqls]

    def one_after_another(sqls: list[str]) -> Callable[[], float]:
        def run() -> ChildRun:
            done = [run_child(c, env=env) for c in cmds(sqls)]
            # No peak: a client's ru_maxrss counts this Python process forked before exec.
            return ChildRun(sum(r.seconds for r in done), 0, sum(r.cpu for r in done))
        return run

    stats = [STATISTICS_SQL.format(schema=db) for db in databases.values()]
    tables = [TABLES_SQL.format(schema=db) for db in databases.values()]
    union = [indexdrift_catalog_sql(server, db, with_tables=True) for db in databases.values()]
    no_tables = [indexdrift_catalog_sql(server, db, with_tables=False)
                 for db in databases.values()]
    client = Path(server.client).name
    return [
        Measure(BARE_SEQ, one_after_another(stats),
                f"3 x `{client} -B -e \"SELECT <9 columns> FROM information_schema.STATISTICS "
                "WHERE TABLE_SCHEMA='...'\" > /dev/null`"),
        Measure(BARE_PAR, lambda: run_children(cmds(stats), env), "the same 3 clients at once"),
        Measure("indexdrift catalog query via client, one after another",
                one_after_another(union), "the UNION ALL query indexdrift sends, compare mode"),
        Measure("the same without its TABLES part", one_after_another(no_tables)),
        Measure("TABLES part alone, one after another", one_after_another(tables)),
    ]


def mysql_server_cpu(server: MySQLServer, report: Report, section: str) -> ServerCpu | None:
    """The server's CPU meter when it runs on this machine (its ``pid_file``), else a fact
    saying the server's CPU is not measured."""
    meter = ServerCpu.from_pid_file(server.query("SELECT @@pid_file").strip())
    if meter is None:
        report.facts[f"{section}: server CPU"] = "not measured (no server process here)"
    return meter


def mysql_server(args: argparse.Namespace) -> MySQLServer:
    """The server of the options, with its command-line client found on PATH."""
    client = shutil.which("mariadb") or shutil.which("mysql")
    if client is None:
        raise SystemExit("no mariadb/mysql client on PATH")
    return MySQLServer(args.mysql_host, args.mysql_port, args.mysql_user,
                       os.environ.get("INDEXDRIFT_BENCH_MYSQL_PASSWORD", ""), client)


def bench_mariadb(args: argparse.Namespace, report: Report) -> None:
    """The MariaDB/MySQL section: build, bare queries, live and CSV compare, clean up."""
    section = "mariadb"
    server = mysql_server(args)
    version = server.query("SELECT VERSION()").strip()
    report.facts[f"{section}: server"] = version
    databases = {env: f"{args.prefix}_{env}" for env in ENVS}
    wanted = {env: sum(1 for _ in env_tables(env, args.tables)) for env in ENVS}
    try:
        if args.reuse and all(mysql_table_count(server, db) == wanted[env]
                              for env, db in databases.items()):
            print(f"{section}: reusing {', '.join(databases.values())}", flush=True)
        else:
            print(f"{section}: building {len(ENVS)} databases of ~{args.tables} tables ...",
                  flush=True)
            # One client per env, all at once: CREATE TABLE is mostly waiting on InnoDB.
            build = timed(lambda: run_parallel([
                lambda db=db, env=env: mysql_build_env(server, db, env, args.tables)
                for env, db in databases.items()]))
            report.facts[f"{section}: build time"] = f"{build:.0f} s"
        stats = server.query(
            "SELECT TABLE_SCHEMA, COUNT(DISTINCT TABLE_NAME), "
            "COUNT(DISTINCT TABLE_NAME, INDEX_NAME), COUNT(*) FROM information_schema.STATISTICS "
            f"WHERE TABLE_SCHEMA IN ({', '.join(repr(db) for db in databases.values())}) "
            "GROUP BY TABLE_SCHEMA")
        for line in stats.splitlines():
            db, tables, indexes, parts = line.split("\t")
            report.facts[f"{section}: {db}"] = (f"{tables} tables with indexes, {indexes} "
                                                 f"indexes, {parts} key parts (STATISTICS rows)")
        urls = {env: server.url(db) for env, db in databases.items()}
        measures = mysql_query_measures(server, databases)
        measures += compare_measures("live", urls, args.workdir, server.client_env())
        trees = tree_measures("live", urls, args.workdir, server.client_env(), args.src or [])
        measures += trees
        print(f"{section}: timing {len(measures)} measures, {args.runs} rounds ...", flush=True)
        run_rounds(report, section, measures, args.runs,
                   mysql_server_cpu(server, report, section), args.order)
        for name in ("live compare, subprocess", "live compare, in-process",
                     *(m.name for m in trees)):
            ratio_fact(report, section, name, BARE_SEQ)
            ratio_fact(report, section, name, BARE_PAR)
        for name in ("live compare, subprocess", *(m.name for m in trees)):
            cpu_budget_fact(report, section, name, BARE_SEQ)
        if trees:
            same_reports_fact(report, section, "live", args.workdir, len(trees))
        ratio_fact(report, section, "indexdrift catalog query via client, one after another",
                   "the same without its TABLES part")
        add_findings_fact(report, section, "live", args.workdir)
        phase_results(report, section, "live", urls, args.runs)
        mysql_cache_facts(server, report, section, sum(wanted.values()))
        bench_csv(report, section, urls, args, server.client_env())
    finally:
        if args.keep:
            print(f"{section}: kept {', '.join(databases.values())}", flush=True)
        else:
            server.query("; ".join(f"DROP DATABASE IF EXISTS {_ident(db)}"
                                   for db in databases.values()))


def run_parallel(jobs: list[Callable[[], None]]) -> None:
    """Run callables on threads and re-raise the first failure."""
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()


def result_of(report: Report, section: str, name: str) -> Result:
    """A result recorded earlier."""
    return next(r for r in report.results if r.section == section and r.name == name)


# --------------------------------------------------------------------------------------
# indexdrift itself, on any set of sources (live URLs, then CSV exports of them)


def indexdrift_cmd() -> list[str]:
    """The console script next to this interpreter, else ``python -m indexdrift``."""
    script = Path(sys.executable).with_name("indexdrift")
    return [str(script)] if script.exists() else [sys.executable, "-m", "indexdrift"]


def compare_args(sources: dict[str, str], output: Path) -> list[str]:
    """``compare`` arguments: NAME=SOURCE per env, baseline prd, JSON to a file."""
    return ["compare", *(f"{env}={src}" for env, src in sources.items()),
            "--baseline", "prd", "--format", "json", "-o", str(output)]


def in_process_compare(args: list[str]) -> float:
    """Run the ``compare`` command inside this process (no interpreter start, no imports)."""
    from indexdrift.cli.main import cli

    start = time.perf_counter()
    # Warnings (e.g. "usage unknown: userstat is off") would repeat every run.
    with contextlib.redirect_stderr(io.StringIO()) as err:
        try:
            cli.main(args=args, standalone_mode=False)
        except SystemExit as exc:
            if exc.code not in (0, 1):
                raise SystemExit(f"compare failed ({exc.code}): {err.getvalue()}") from None
    return time.perf_counter() - start


def compare_measures(label: str, sources: dict[str, str], workdir: Path,
                     env: dict[str, str]) -> list[Measure]:
    """``compare`` of one set of sources: as a subprocess (with peak memory), in-process."""
    output = workdir / f"drift-{label}.json"
    argv = compare_args(sources, output)
    return [
        Measure(f"{label} compare, subprocess",
                lambda: run_child(indexdrift_cmd() + argv, env=env, ok_codes=(0, 1)),
                "`indexdrift compare prd=SOURCE stg=SOURCE dev=SOURCE --format json -o FILE`, "
                "end to end"),
        Measure(f"{label} compare, in-process", lambda: in_process_compare(argv),
                "the same command through click in this process"),
    ]


def tree_measures(label: str, sources: dict[str, str], workdir: Path, env: dict[str, str],
                  trees: list[str]) -> list[Measure]:
    """``compare`` as a subprocess once per source tree (``--src``: PYTHONPATH=TREE, e.g.
    main's src/ and a branch's), taking turns in the same rounds as the other measures."""
    measures = []
    for i, tree in enumerate(trees):
        argv = compare_args(sources, workdir / f"drift-{label}-src{i}.json")
        child_env = dict(env, PYTHONPATH=tree)
        measures.append(Measure(
            f"{label} compare, subprocess, --src {tree}",
            lambda argv=argv, child_env=child_env: run_child(
                indexdrift_cmd() + argv, env=child_env, ok_codes=(0, 1)),
            f"the same command with PYTHONPATH={tree}"))
    return measures


def _without_uptime(value: object) -> object:
    """A JSON value without its servers' ``uptime_seconds`` (it moves between runs)."""
    if isinstance(value, dict):
        return {k: _without_uptime(v) for k, v in value.items() if k != "uptime_seconds"}
    if isinstance(value, list):
        return [_without_uptime(v) for v in value]
    return value


def same_reports_fact(report: Report, section: str, label: str, workdir: Path,
                      trees: int) -> None:
    """Whether every ``--src`` tree wrote the same JSON report (but for uptime_seconds)."""
    docs = [json.loads((workdir / f"drift-{label}-src{i}.json").read_text(encoding="utf-8"))
            for i in range(trees)]
    report.facts[f"{section}: {label} JSON reports of the --src trees identical "
                 "(but uptime_seconds)"] = (
        "yes" if all(_without_uptime(d) == _without_uptime(docs[0]) for d in docs) else "NO")


def add_findings_fact(report: Report, section: str, label: str, workdir: Path) -> None:
    """How many findings of each kind the last compare wrote."""
    drift = json.loads((workdir / f"drift-{label}.json").read_text(encoding="utf-8"))
    kinds: dict[str, int] = {}
    for finding in drift["findings"]:
        kinds[finding["kind"]] = kinds.get(finding["kind"], 0) + 1
    report.facts[f"{section}: {label} findings"] = (
        f"{len(drift['findings'])} (" + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        + ")")


def phase_split(sources: dict[str, str]) -> dict[str, float]:
    """Seconds spent reading the envs (concurrently, like the CLI), comparing, linting
    (duplicate/redundant advisories, which ``compare`` adds) and rendering JSON."""
    from indexdrift.compare.tables import compare
    from indexdrift.core.i18n import Catalog
    from indexdrift.report.render import renderer_for
    from indexdrift.sources import open_source

    times: dict[str, float] = {}
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(sources)) as pool:
        futures = {env: pool.submit(open_source, src, env) for env, src in sources.items()}
        snapshots = {env: future.result() for env, future in futures.items()}
    times["read"] = time.perf_counter() - start
    start = time.perf_counter()
    comparison = compare(snapshots, "prd")
    times["compare"] = time.perf_counter() - start
    try:
        from indexdrift.report.lint import lint_snapshot
    except ImportError:
        pass
    else:
        start = time.perf_counter()
        comparison.advisories = {env: found for env, snap in snapshots.items()
                                 if (found := lint_snapshot(snap))}
        times["lint"] = time.perf_counter() - start
    start = time.perf_counter()
    renderer_for("json")(comparison, Catalog("en"))
    times["render json"] = time.perf_counter() - start
    return times


def phase_results(report: Report, section: str, label: str, sources: dict[str, str],
                  runs: int) -> None:
    """Where in-process time goes, per phase (after a warm-up run)."""
    phase_split(sources)
    splits = [phase_split(sources) for _ in range(runs)]
    for phase in splits[0]:
        report.add(Result(section, f"{label} in-process phase: {phase}",
                          [s[phase] for s in splits]))


def bench_csv(report: Report, section: str, urls: dict[str, str], args: argparse.Namespace,
              env: dict[str, str]) -> None:
    """Export the envs with ``indexdrift export``, then compare the files; the findings
    must be the live ones."""
    csvs = {name: str(args.workdir / f"indexes_{name}.csv") for name in urls}
    for name, url in urls.items():
        run_child(indexdrift_cmd() + ["export", f"{name}={url}", "-o", csvs[name]], env=env)
    size = sum(Path(p).stat().st_size for p in csvs.values())
    report.facts[f"{section}: CSV exports"] = f"{size / 1e6:.1f} MB in 3 files"
    run_rounds(report, section, compare_measures("CSV", csvs, args.workdir, env), args.runs)
    add_findings_fact(report, section, "CSV", args.workdir)
    phase_results(report, section, "CSV", csvs, args.runs)

    def keys(label: str) -> list[tuple]:
        doc = json.loads((args.workdir / f"drift-{label}.json").read_text(encoding="utf-8"))
        return sorted((f["env"], f["table"], f["index"] or "", f["kind"])
                      for f in doc["findings"])
    report.facts[f"{section}: live and CSV findings identical"] = \
        "yes" if keys("live") == keys("CSV") else "NO"


# --------------------------------------------------------------------------------------
# Fleet section: one baseline and N targets (CSV files), peak memory per N


CSV_HEADER = ("TABLE_CATALOG,TABLE_SCHEMA,TABLE_NAME,NON_UNIQUE,INDEX_SCHEMA,INDEX_NAME,"
              "SEQ_IN_INDEX,COLUMN_NAME,COLLATION,CARDINALITY,SUB_PART,PACKED,NULLABLE,"
              "INDEX_TYPE,COMMENT,INDEX_COMMENT")


def write_statistics_csv(path: Path, env: str, tables: int) -> None:
    """``env``'s generated tables as an information_schema.STATISTICS-shaped CSV."""
    lines = [CSV_HEADER]
    for table, indexes in env_tables(env, tables):
        for ix in indexes:
            for seq, part in enumerate(ix.parts, 1):
                lines.append(",".join((
                    "def", "shop", table, "0" if ix.unique else "1", "shop", ix.name, str(seq),
                    part.column, "D" if part.desc else "A", "100",
                    "NULL" if part.prefix is None else str(part.prefix), "NULL", "",
                    "BTREE", "", "")))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_fleet(workdir: Path, targets: int, tables: int) -> tuple[Path, Path]:
    """A baseline CSV, ``targets`` target CSVs (stg's and dev's drift, in turn) and an
    indexdrift.toml declaring them as a fleet; returns (config, one target's CSV)."""
    folder = workdir / f"fleet{targets}"
    folder.mkdir(exist_ok=True)
    base = folder / "prd.csv"
    write_statistics_csv(base, "prd", tables)
    kinds = {env: folder / f"model_{env}.csv" for env in ("stg", "dev")}
    for env, path in kinds.items():
        write_statistics_csv(path, env, tables)
    sources = []
    for k in range(targets):
        path = folder / f"shop_{k:04d}.csv"
        shutil.copyfile(kinds["stg" if k % 2 == 0 else "dev"], path)
        sources.append(str(path))
    config = folder / "indexdrift.toml"
    config.write_text("baseline = \"prd\"\n[envs.prd]\nsource = " + json.dumps(str(base))
                      + "\n[envs.shards]\nsources = " + json.dumps(sources) + "\n",
                      encoding="utf-8")
    return config, Path(sources[1] if targets > 1 else sources[0])


def bench_fleet(args: argparse.Namespace, report: Report) -> None:
    """Peak memory and time of ``compare`` on a fleet of N CSV targets, for each N, and of
    one target with the baseline (the yardstick: a fleet should need at most about twice
    that, plus its findings)."""
    section = "fleet"
    jobs = ["--jobs", str(args.jobs)]
    for n in args.fleet:
        print(f"{section}: building a baseline and {n} targets of {args.tables} tables ...",
              flush=True)
        config, one = build_fleet(args.workdir, n, args.tables)
        base = config.parent / "prd.csv"
        out = args.workdir / f"fleet{n}.json"
        measures = [
            Measure(f"{n} targets x {args.tables} tables",
                    lambda config=config, out=out: run_child(
                        indexdrift_cmd() + ["compare", "--config", str(config), *jobs,
                                            "--format", "json", "-o", str(out)],
                        ok_codes=(0, 1)),
                    f"`indexdrift compare --config fleet.toml --jobs {args.jobs} --format json "
                    "-o FILE` (a baseline and a `sources = [...]` fleet of CSV files)"),
            Measure(f"1 target x {args.tables} tables (beside the {n}-target run)",
                    lambda base=base, one=one: run_child(
                        indexdrift_cmd() + ["compare", f"prd={base}", f"shop={one}",
                                            "--baseline", "prd", "--format", "json", "-o",
                                            str(args.workdir / "one.json")], ok_codes=(0, 1)),
                    "`indexdrift compare prd=FILE shop=FILE --format json -o FILE`"),
        ]
        run_rounds(report, section, measures, args.runs)
        fleet, single = (result_of(report, section, m.name) for m in measures)
        report.facts[f"{section}: {n} targets: peak memory / one target's"] = (
            f"{fleet.peak_mib / single.peak_mib:.2f}x")
        drift = json.loads(out.read_text(encoding="utf-8"))
        report.facts[f"{section}: {n} targets: findings"] = str(len(drift["findings"]))
        if not args.keep:
            shutil.rmtree(config.parent, ignore_errors=True)


def mysql_cache_facts(server: MySQLServer, report: Report, section: str, tables: int) -> None:
    """The server's table caches beside the tables a run reads: a catalog query over more
    tables than ``table_definition_cache`` holds reopens their definitions every time
    (Open_full_table: STATISTICS' COLLATION and INDEX_TYPE ask the storage engine), which
    sets the floor and how well concurrent reads overlap (docs/performance.md)."""
    out = server.query("SELECT @@table_definition_cache, @@table_open_cache")
    definitions, opened = out.split()
    report.facts[f"{section}: server caches"] = (
        f"table_definition_cache {definitions}, table_open_cache {opened}; "
        f"the run reads {tables:,} tables")


def live_fleet_schemas(prefix: str, targets: int) -> tuple[str, list[str]]:
    """The baseline's schema and the targets' (prd's tables; stg's and dev's drift in
    turn), all matched by ``PREFIX\\_shop\\_%`` but the baseline."""
    return f"{prefix}_base", [f"{prefix}_shop_{k:04d}" for k in range(targets)]


def bench_live_fleet(args: argparse.Namespace, report: Report) -> None:
    """A live fleet on one MariaDB/MySQL server: a baseline schema and N target schemas of
    ``--tables`` tables, declared by a LIKE pattern. Times ``compare --jobs 1`` and
    ``--jobs J`` beside the bare STATISTICS queries of every schema one after another and
    J at once (the floor a fleet's time is held to: the targets' queries divided by
    ``--jobs``, as far as the server runs them at once)."""
    section = "live fleet"
    server = mysql_server(args)
    report.facts[f"{section}: server"] = server.query("SELECT VERSION()").strip()
    for n in args.live_fleet:
        live_fleet_run(args, report, server, section, n)


def live_fleet_run(args: argparse.Namespace, report: Report, server: MySQLServer,
                   section: str, n: int) -> None:
    """One ``--live-fleet N``: build (or reuse) the schemas, time, report, clean up."""
    base, targets = live_fleet_schemas(args.prefix, n)
    models = {base: "prd", **{t: ("stg" if k % 2 == 0 else "dev")
                              for k, t in enumerate(targets)}}
    wanted = {db: sum(1 for _ in env_tables(env, args.tables)) for db, env in models.items()}
    try:
        if not (args.reuse and all(mysql_table_count(server, db) == wanted[db]
                                   for db in models)):
            print(f"{section}: building a baseline and {n} target schemas of "
                  f"{args.tables} tables ...", flush=True)
            build = timed(lambda: _build_in_batches(server, models, args.tables))
            report.facts[f"{section}: {n} targets: build time"] = f"{build:.0f} s"
        mysql_cache_facts(server, report, f"{section}: {n} targets", sum(wanted.values()))
        escaped = args.prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = escaped + "\\_shop\\_%"  # LIKE: the prefix's own _ and % literal
        config = args.workdir / f"live-fleet{n}.toml"
        config.write_text(
            "baseline = \"prd\"\n[envs.prd]\nsource = " + json.dumps(server.url(base))
            + "\n[envs.shards]\nsource = " + json.dumps(server.url("")) + "\nschemas = "
            + json.dumps(pattern) + f"\nmin_targets = {n}\n", encoding="utf-8")
        env = server.client_env()
        stats = [server.client_cmd("-B", "-e", STATISTICS_SQL.format(schema=db))
                 for db in models]

        def one_after_another() -> ChildRun:
            done = [run_child(c, env=env) for c in stats]
            return ChildRun(sum(r.seconds for r in done), 0, sum(r.cpu for r in done))

        def at_once(jobs: int) -> float:
            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                for future in [pool.submit(run_child, c, env=env) for c in stats]:
                    future.result()
            return time.perf_counter() - start

        def fleet(jobs: int) -> Callable[[], ChildRun]:
            out = args.workdir / f"live-fleet{n}-jobs{jobs}.json"
            return lambda: run_child(
                indexdrift_cmd() + ["compare", "--config", str(config), "--jobs", str(jobs),
                                    "--format", "json", "-o", str(out)],
                env=env, ok_codes=(0, 1))

        seq = f"{n} targets: bare STATISTICS queries, one after another"
        par = f"{n} targets: bare STATISTICS queries, {args.jobs} at once"
        one = f"{n} targets: compare --jobs 1"
        many = f"{n} targets: compare --jobs {args.jobs}"
        measures = [
            Measure(seq, one_after_another, f"{n + 1} x `{Path(server.client).name} -B -e "
                    "\"SELECT <9 columns> FROM information_schema.STATISTICS WHERE "
                    "TABLE_SCHEMA='...'\"`, the baseline's and every target's"),
            Measure(par, lambda: at_once(args.jobs),
            f"the same clients, {args.jobs} at a time"),
            Measure(one, fleet(1), "`indexdrift compare --config fleet.toml --jobs 1 "
                    "--format json -o FILE` (`schemas = \"PREFIX\\_shop\\_%\"`, usage "
                    "counters and advisories included)"),
            Measure(many, fleet(args.jobs), f"the same with --jobs {args.jobs}"),
        ]
        print(f"{section}: timing {len(measures)} measures, {args.runs} rounds ...",
              flush=True)
        run_rounds(report, section, measures, args.runs,
                   mysql_server_cpu(server, report, section), args.order)
        ratio_fact(report, section, many, par)
        ratio_fact(report, section, many, seq)
        ratio_fact(report, section, par, seq)
        cpu_budget_fact(report, section, many, seq)
        drift = json.loads((args.workdir / f"live-fleet{n}-jobs{args.jobs}.json")
                           .read_text(encoding="utf-8"))
        report.facts[f"{section}: {n} targets: findings"] = str(len(drift["findings"]))
    finally:
        if not args.keep:
            server.query("; ".join(f"DROP DATABASE IF EXISTS {_ident(db)}" for db in models))


def _build_in_batches(server: MySQLServer, models: dict[str, str], tables: int) -> None:
    """Build every schema of a live fleet, four client processes at a time."""
    items = list(models.items())
    for start in range(0, len(items), 4):
        run_parallel([lambda db=db, env=env: mysql_build_env(server, db, env, tables)
                      for db, env in items[start:start + 4]])


# --------------------------------------------------------------------------------------
# Output


def machine_facts() -> dict[str, str]:
    """CPU count and model, Python version."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": f"{os.cpu_count()}" + (f" ({model})" if model else ""),
            "python": platform.python_version()}


def print_table(report: Report) -> None:
    """A plain-text results table and the facts."""
    width = max(len(f"{r.section}: {r.name}") for r in report.results)
    print()
    print(f"{'measure':<{width}}  {'median s':>9}  {'CPU s':>6}  {'server':>6}  "
          f"{'peak MiB':>8}  runs (s)")
    for r in report.results:
        mem = f"{r.peak_mib:.0f}" if r.peak_mib else ""
        cpu = f"{r.cpu_median:.3f}" if r.cpu else ""
        server = f"{r.server_cpu_median:.3f}" if r.server_cpu else ""
        runs = " ".join(f"{x:.3f}" for x in r.runs)
        print(f"{r.section + ': ' + r.name:<{width}}  {r.median:>9.3f}  {cpu:>6}  "
              f"{server:>6}  {mem:>8}  {runs}")
    print()
    for key, value in report.facts.items():
        print(f"{key}: {value}")


def markdown(report: Report, args: argparse.Namespace) -> str:
    """The README snippet."""
    if args.fleet or args.live_fleet:
        kind = "fleets" if args.fleet else "live fleets (schemas on one server)"
        what = (f"a baseline and {kind} of {', '.join(map(str, args.fleet or args.live_fleet))}"
                f" targets of {args.tables:,} tables each (--jobs {args.jobs})")
    else:
        what = f"3 environments of {args.tables:,} tables each"
    lines = [f"{what}, median of {args.runs} runs (after a warm-up run):", "",
             "| measure | median | CPU (median) | server CPU (median) | runs | peak memory |",
             "|---|---:|---:|---:|---|---:|"]
    for r in report.results:
        mem = f"{r.peak_mib:.0f} MiB" if r.peak_mib else ""
        cpu = f"{r.cpu_median:.2f} s" if r.cpu else ""
        server = f"{r.server_cpu_median:.2f} s" if r.server_cpu else ""
        runs = ", ".join(f"{x:.2f}" for x in r.runs)
        lines.append(f"| {r.section}: {r.name} | {r.median:.2f} s | {cpu} | {server} | {runs} "
                     f"| {mem} |")
    lines.append("")
    lines.extend(f"- {r.section}: {r.name}: {r.note}" for r in report.results if r.note)
    lines.extend(f"- {key}: {value}" for key, value in report.facts.items())
    return "\n".join(lines) + "\n"


# One function per database: it builds its envs, times them and cleans up.
SECTIONS: dict[str, Callable[[argparse.Namespace, Report], None]] = {
    "mariadb": bench_mariadb,
    "fleet": bench_fleet,
    "live_fleet": bench_live_fleet,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tables", type=int, default=None,
                        help="tables per environment (default 10000, about 4 indexes each; "
                             "200 per target with --fleet)")
    parser.add_argument("--fleet", type=int, action="append", metavar="N",
                        help="instead: compare a baseline with a fleet of N CSV targets and "
                             "report peak memory and time (repeatable: --fleet 100 --fleet 500)")
    parser.add_argument("--live-fleet", type=int, action="append", metavar="N",
                        help="instead: a live fleet on the MariaDB/MySQL server, a baseline "
                             "schema and N target schemas (repeatable), --jobs 1 and --jobs J "
                             "beside the bare queries one after another and J at once")
    parser.add_argument("--jobs", type=int, default=4, help="--jobs of the fleet runs")
    parser.add_argument("--runs", type=int, default=5,
                        help="timed runs per measure, after one warm-up run (default 5)")
    parser.add_argument("--seed", type=int, default=0,
                        help="the live sections take each round's measures in an order drawn "
                             "with this seed (default 0)")
    parser.add_argument("--fixed-order", action="store_true",
                        help="the live sections take every round's measures in one fixed order")
    parser.add_argument("--keep", action="store_true",
                        help="keep the benchmark databases (and the work directory)")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse kept databases when their table counts are right")
    parser.add_argument("--prefix", default="idxbench",
                        help="database name prefix: PREFIX_prd, PREFIX_stg, PREFIX_dev")
    parser.add_argument("--src", action="append", metavar="DIR",
                        help="MariaDB section: also time the live compare with PYTHONPATH=DIR "
                             "(repeatable, taking turns: main's src/ and a branch's)")
    parser.add_argument("--markdown", metavar="FILE", help="also write the Markdown snippet")
    parser.add_argument("--no-mariadb", dest="mariadb", action="store_false",
                        help="skip the MariaDB/MySQL section")
    parser.add_argument("--mysql-host", default="127.0.0.1")
    parser.add_argument("--mysql-port", type=int, default=3306)
    parser.add_argument("--mysql-user", default="root",
                        help="user (password from INDEXDRIFT_BENCH_MYSQL_PASSWORD, default none)")
    parser.add_argument("--source-only", dest="bytecode", action="store_false",
                        help="children compile every module from source on every run "
                             "(default: compiled bytecode in a throw-away cache, as installed)")
    args = parser.parse_args(argv)
    args.order = None if args.fixed_order else random.Random(args.seed)
    if args.fleet and args.live_fleet:
        parser.error("--fleet and --live-fleet are modes of their own: one at a time")
    if args.live_fleet:
        args.mariadb = False  # a mode of its own
        args.tables = args.tables or 200
        if min(args.live_fleet) < 1 or args.tables < 1 or args.runs < 1 or args.jobs < 1:
            parser.error("--live-fleet N, --tables, --runs and --jobs must be at least 1")
        return args
    if args.fleet:
        args.mariadb = False  # a mode of its own
        args.tables = args.tables or 200
        if min(args.fleet) < 1 or args.tables < 1 or args.runs < 1:
            parser.error("--fleet N, --tables and --runs must be at least 1")
        return args
    args.tables = args.tables or 10_000
    if args.tables < 300 or args.runs < 1:
        parser.error("--tables must be at least 300 (so every kind of drift occurs), "
                     "--runs at least 1")
    return args


def main(argv: list[str] | None = None) -> None:
    """Run the chosen sections and print the results."""
    args = parse_args(argv)
    report = Report(facts=machine_facts())
    report.facts["bytecode"] = use_bytecode(args.bytecode)
    report.facts["order"] = ("the same in every round" if args.order is None else
                             f"each round's own, drawn with --seed {args.seed}")
    args.workdir = Path(tempfile.mkdtemp(prefix="indexdrift-bench-"))
    try:
        for name, section in SECTIONS.items():
            if getattr(args, name):
                section(args, report)
    finally:
        if args.keep:
            print(f"work directory kept: {args.workdir}")
        else:
            shutil.rmtree(args.workdir, ignore_errors=True)
    if not report.results:
        raise SystemExit("no section ran")
    print_table(report)
    snippet = markdown(report, args)
    print("\n--- Markdown ---\n" + snippet)
    if args.markdown:
        Path(args.markdown).write_text(snippet, encoding="utf-8")


if __name__ == "__main__":
    main()
