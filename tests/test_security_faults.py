"""Faults a run must survive in one line: a server that stops answering, outputs that are not
plain files, interrupts while a migration set is written, full disks, and our own bugs.

Servers are real (a loopback proxy in front of them goes silent, tests/tcp_stall.py); signals
are real signals to a real ``indexdrift`` process.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tcp_stall import StallProxy

from indexdrift.core.atomic import OutputError, write_atomic, write_file_set
from indexdrift.core.errors import SourceError

# The silence a read waits for, and what a run may take beyond it (interpreter start, the
# other env's read) on a loaded machine. A hang is 90 s or forever: far past the bound.
READ_TIMEOUT = 2
MARGIN = 20
PG_CATALOG = b"pg_index x"  # in the PostgreSQL catalog query's text
MYSQL_CATALOG = b"information_schema.STATISTICS"
TABLES = 120  # enough catalog rows that the answer is far longer than what gets through


def run_cli(*args: str, timeout: float = 120, **kw) -> tuple[subprocess.CompletedProcess, float]:
    """The real console entry point in a subprocess, and how long it took."""
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "indexdrift", *args], capture_output=True,
                          text=True, timeout=timeout, **kw)
    return proc, time.monotonic() - started


def assert_one_line_error(proc: subprocess.CompletedProcess, *words: str) -> str:
    """Exit 2, no traceback, and an ``error:`` line holding every word; returns it."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, proc.stderr
    for word in words:
        assert word in lines[0], proc.stderr
    return lines[0]


def _pg_tables(n: int) -> str:
    return "".join(f"CREATE TABLE t{i} (id int PRIMARY KEY, a int, b text);"
                   f"CREATE INDEX ix_t{i}_a ON t{i} (a);CREATE INDEX ix_t{i}_ab ON t{i} (a, b);"
                   for i in range(n))


def _mysql_tables(n: int) -> str:
    return "".join(f"CREATE TABLE t{i} (id INT PRIMARY KEY, a INT, b VARCHAR(50), "
                   f"KEY ix_t{i}_a (a), KEY ix_t{i}_ab (a, b));" for i in range(n))


def _proxied(url: str, port: int, proxy_port: int, **params: object) -> str:
    """``url`` through the proxy, with query parameters added."""
    url = url.replace(f":{port}/", f":{proxy_port}/", 1)
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return url + ("&" if "?" in url else "?") + query


@pytest.fixture
def pg_big(postgres):
    """(handle, prd database, dev database), dev with TABLES tables."""
    prd, dev = postgres.create_db("prd"), postgres.create_db("dev")
    postgres.run(prd, _pg_tables(3))
    postgres.run(dev, _pg_tables(TABLES))
    return postgres, prd, dev


@pytest.fixture
def mysql_big(mariadb):
    """(handle, prd schema, dev schema), dev with TABLES tables."""
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, _mysql_tables(3))
    mariadb.run(dev, _mysql_tables(TABLES))
    return mariadb, prd, dev


def _pg_url(handle, db: str, proxy: StallProxy) -> str:
    # TLS off so the proxy sees the query text it stalls on.
    from conftest import POSTGRES
    return _proxied(handle.url(db), POSTGRES["port"], proxy.port, sslmode="disable",
                    read_timeout=READ_TIMEOUT, connect_timeout=5)


def _mysql_url(handle, db: str, proxy: StallProxy) -> str:
    from conftest import MARIADB
    return _proxied(handle.url(db), MARIADB["port"], proxy.port, read_timeout=READ_TIMEOUT,
                    connect_timeout=5)


def _server_port(family: str) -> int:
    from conftest import MARIADB, POSTGRES
    return POSTGRES["port"] if family == "postgresql" else MARIADB["port"]


# after=0: silent from the catalog query on (right after the handshake); 4096: mid-result.
STALLS = [pytest.param(0, id="after-handshake"), pytest.param(4096, id="mid-result")]


@pytest.mark.postgres
@pytest.mark.parametrize("after", STALLS)
def test_postgres_that_stops_answering_ends_compare_within_read_timeout(pg_big, tmp_path,
                                                                          after):
    handle, prd, dev = pg_big
    out = tmp_path / "drift.json"
    with StallProxy(_server_port("postgresql"), PG_CATALOG, after) as proxy:
        proc, took = run_cli("compare", f"prd={handle.url(prd)}",
                             f"dev={_pg_url(handle, dev, proxy)}", "-o", str(out))
        assert proxy.stalled.is_set()
    assert_one_line_error(proc, "env dev", "timed out")
    assert took < READ_TIMEOUT + MARGIN
    assert not out.exists()


@pytest.mark.mariadb
@pytest.mark.parametrize("after", STALLS)
def test_mariadb_that_stops_answering_ends_compare_within_read_timeout(mysql_big, tmp_path,
                                                                         after):
    handle, prd, dev = mysql_big
    out = tmp_path / "drift.json"
    with StallProxy(_server_port("mysql"), MYSQL_CATALOG, after) as proxy:
        proc, took = run_cli("compare", f"prd={handle.url(prd)}",
                             f"dev={_mysql_url(handle, dev, proxy)}", "-o", str(out))
        assert proxy.stalled.is_set()
    assert_one_line_error(proc, "env dev", "timed out")
    assert took < READ_TIMEOUT + MARGIN
    assert not out.exists()


def _fleet_report(tmp_path, prd: str, good: str, stuck: str) -> tuple[dict, str, float]:
    config = tmp_path / "indexdrift.toml"
    config.write_text(f"""
baseline = "prd"
read_timeout = {READ_TIMEOUT}
connect_timeout = 5
[envs.prd]
source = "{prd}"
[envs.shards.sources]
good = "{good}"
stuck = "{stuck}"
""", encoding="utf-8")
    out = tmp_path / "drift.json"
    proc, took = run_cli("compare", "--config", str(config), "-o", str(out))
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    return json.loads(out.read_text(encoding="utf-8")), proc.stderr, took


@pytest.mark.postgres
def test_postgres_fleet_with_a_stalled_target_still_writes_its_report(pg_big, tmp_path):
    handle, prd, dev = pg_big
    with StallProxy(_server_port("postgresql"), PG_CATALOG, 4096) as proxy:
        stuck = _pg_url(handle, dev, proxy).split("?")[0] + "?sslmode=disable"
        doc, stderr, took = _fleet_report(tmp_path, handle.url(prd), handle.url(prd), stuck)
        assert proxy.stalled.is_set()
    assert took < READ_TIMEOUT + MARGIN
    assert doc["incomplete"] is True
    assert [f["env"] for f in doc["failed"]] == ["shards.stuck"]
    assert "timed out" in doc["failed"][0]["error"]
    assert "shards.good" in doc["envs"]
    assert "env shards.stuck" in stderr and "timed out" in stderr


@pytest.mark.mariadb
def test_mariadb_fleet_with_a_stalled_target_still_writes_its_report(mysql_big, tmp_path):
    handle, prd, dev = mysql_big
    with StallProxy(_server_port("mysql"), MYSQL_CATALOG, 4096) as proxy:
        stuck = _mysql_url(handle, dev, proxy).split("?")[0]
        doc, stderr, took = _fleet_report(tmp_path, handle.url(prd), handle.url(prd), stuck)
        assert proxy.stalled.is_set()
    assert took < READ_TIMEOUT + MARGIN
    assert doc["incomplete"] is True
    assert [f["env"] for f in doc["failed"]] == ["shards.stuck"]
    assert "timed out" in doc["failed"][0]["error"]


def _times_out(read, bound: float = READ_TIMEOUT + 10) -> str:
    """Run ``read()``, expect a SourceError saying it timed out, within ``bound`` seconds."""
    started = time.monotonic()
    with pytest.raises(SourceError) as caught:
        read()
    assert time.monotonic() - started < bound
    assert "timed out" in str(caught.value)
    return str(caught.value)


@pytest.mark.postgres
def test_postgres_usage_plans_and_columns_reads_time_out_too(pg_big):
    from indexdrift.dialects.postgresql.catalog import read_postgres_columns
    from indexdrift.evidence import read_usage
    from indexdrift.evidence.plans import explain_queries, parse_queries
    from indexdrift.sources.urls import parse_url

    handle, _, dev = pg_big
    port = _server_port("postgresql")
    with StallProxy(port, b"pg_stat_user_indexes", 0) as proxy:
        message = _times_out(lambda: read_usage(_pg_url(handle, dev, proxy), "dev"))
        assert message.startswith("env dev: usage query failed")
    queries = parse_queries("SELECT * FROM t1 WHERE a = 1;", "q.sql", "postgresql")
    with StallProxy(port, b"EXPLAIN", 0) as proxy:
        url = parse_url(_pg_url(handle, dev, proxy))
        _times_out(lambda: explain_queries(url, "dev", queries))
    with StallProxy(port, b"attnum", 0) as proxy:
        url = parse_url(_pg_url(handle, dev, proxy))
        _times_out(lambda: read_postgres_columns(url, "dev"))


@pytest.mark.mariadb
def test_mariadb_usage_plans_and_columns_reads_time_out_too(mysql_big):
    from indexdrift.dialects.mysql.catalog import read_mysql_columns
    from indexdrift.evidence import read_usage
    from indexdrift.evidence.plans import explain_queries, parse_queries
    from indexdrift.sources.urls import parse_url

    handle, _, dev = mysql_big
    port = _server_port("mysql")
    with StallProxy(port, b"Variable_name", 0) as proxy:
        _times_out(lambda: read_usage(_mysql_url(handle, dev, proxy), "dev"))
    queries = parse_queries("SELECT * FROM t1 WHERE a = 1;", "q.sql", "mysql")
    with StallProxy(port, b"EXPLAIN", 0) as proxy:
        url = parse_url(_mysql_url(handle, dev, proxy))
        _times_out(lambda: explain_queries(url, "dev", queries))
    with StallProxy(port, b"information_schema.COLUMNS", 0) as proxy:
        url = parse_url(_mysql_url(handle, dev, proxy))
        _times_out(lambda: read_mysql_columns(url, "dev"))


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-1", "0", "1e9"])
@pytest.mark.parametrize("key", ["connect_timeout", "read_timeout"])
def test_bad_timeouts_are_one_line_errors_on_every_command(tmp_path, key, value):
    url = f"postgresql://app@127.0.0.1:1/shop?{key}={value}"
    mysql = f"mysql://app@127.0.0.1:1/shop?{key}={value}"
    config = tmp_path / "indexdrift.toml"
    prd = os.path.join(os.path.dirname(__file__), "..", "examples", "indexes_prd.csv")
    config.write_text(f'baseline = "prd"\n[envs.prd]\nsource = "{prd}"\n'
                      f'[envs.shards]\nsource = "mysql://app@127.0.0.1:1/?{key}={value}"\n'
                      'schemas = "shop_%"\n', encoding="utf-8")
    runs = [("export", url), ("export", mysql), ("export", "--objects", "columns", url),
            ("export", "--objects", "columns", mysql), ("snapshot", mysql, "-o",
                                                        str(tmp_path / "s.json")),
            ("compare", f"prd={mysql}", f"dev={url}")]
    for args in runs:
        proc, _ = run_cli(*args)
        assert_one_line_error(proc, key, repr(value))
        assert not (tmp_path / "s.json").exists()
    # In a fleet URL (the schema pattern's SCHEMATA query): the fleet fails alone.
    proc, _ = run_cli("compare", "--config", str(config), "prd", "shards")
    assert "Traceback" not in proc.stderr
    assert f"env shards: {key}={value!r}" in proc.stderr


# --- outputs that are not plain files (write_atomic, every -o) ------------------------------

EXAMPLES = os.path.join(os.path.dirname(__file__), "..", "examples")
PAIR = [f"prd={EXAMPLES}/indexes_prd.csv", f"dev={EXAMPLES}/indexes_dev.csv"]


def _leftovers(*dirs) -> list[str]:
    """Temporary files or directories this code leaves (``.NAME.XXXX.tmp``)."""
    return [str(p) for d in dirs for p in Path(d).rglob("*") if p.name.endswith(".tmp")]


def test_output_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "drift.json").write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real / "drift.json")
    proc, _ = run_cli("compare", *PAIR, "-o", str(link))
    assert proc.returncode == 1, proc.stderr
    assert link.is_symlink() and os.readlink(link) == str(real / "drift.json")
    assert json.loads((real / "drift.json").read_text(encoding="utf-8"))["baseline"] == "prd"
    assert _leftovers(tmp_path) == []


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "made.md")
    write_atomic(link, "text")
    assert link.is_symlink() and (tmp_path / "made.md").read_text(encoding="utf-8") == "text"


def _special_files(tmp_path) -> dict[str, Path]:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    directory = tmp_path / "dir"
    directory.mkdir()
    nodes = {"a FIFO": fifo, "a directory": directory}
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock"))
    nodes["a socket"] = tmp_path / "sock"
    try:  # /dev/full's numbers, made here so a regression can only replace this one
        os.mknod(tmp_path / "full", stat.S_IFCHR | 0o666, os.makedev(1, 7))
        nodes["a character device"] = tmp_path / "full"
    except PermissionError:
        pass
    return nodes


@pytest.mark.parametrize("how", ["link", "direct"])
def test_devices_fifos_directories_and_sockets_are_refused_not_replaced(tmp_path, how):
    for kind, node in _special_files(tmp_path).items():
        before = os.stat(node).st_mode
        path = node
        if how == "link":
            path = tmp_path / f"to-{node.name}"
            path.symlink_to(node)
        with pytest.raises(OutputError, match=f"cannot write {path}: it is {kind}"):
            write_atomic(path, "x")
        with pytest.raises(OutputError, match=f"cannot write {path}: it is {kind}"):
            write_file_set({tmp_path / "ok.sql": "x", path: "y"}, overwrite=True)
        assert os.stat(node).st_mode == before
        assert not (tmp_path / "ok.sql").exists()
    assert _leftovers(tmp_path) == []


def test_cli_refuses_a_device_output_in_one_line(tmp_path):
    nodes = _special_files(tmp_path)
    node = nodes.get("a character device", nodes["a FIFO"])
    snap = tmp_path / "prd.json"  # snapshot wants a .json name: a link to the node
    snap.symlink_to(node)
    # compare: --format, as a name without an extension tells no format (refused first).
    for path, command in ((node, ("compare", *PAIR, "--format", "md")),
                          (node, ("export", PAIR[0])), (snap, ("snapshot", PAIR[0]))):
        proc, _ = run_cli(*command, "-o", str(path), timeout=60)
        assert_one_line_error(proc, f"cannot write {path}: it is")
    assert not stat.S_ISREG(os.stat(node).st_mode)


# --- migration sets: all or nothing ---------------------------------------------------------

def test_file_set_with_one_existing_file_writes_none_of_them(tmp_path):
    (tmp_path / "b.sql").write_text("mine", encoding="utf-8")
    files = {tmp_path / "a.sql": "a", tmp_path / "b.sql": "b", tmp_path / "sub" / "c.sql": "c"}
    with pytest.raises(OutputError, match="refusing to overwrite existing file"):
        write_file_set(files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.sql"]
    assert write_file_set(files, overwrite=True) == list(files)
    assert [p.read_text(encoding="utf-8") for p in files] == ["a", "b", "c"]


def test_file_set_failing_midway_takes_back_what_it_moved(tmp_path, monkeypatch):
    import indexdrift.core.atomic as atomic

    (tmp_path / "b.sql").write_text("old b", encoding="utf-8")
    files = {tmp_path / "a.sql": "a", tmp_path / "b.sql": "b", tmp_path / "new" / "c.sql": "c"}
    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith("c.sql"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", failing_replace)
    with pytest.raises(OutputError, match=f"cannot write {tmp_path / 'new' / 'c.sql'}: No space"):
        write_file_set(files, overwrite=True)
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.sql"]
    assert (tmp_path / "b.sql").read_text(encoding="utf-8") == "old b"


def _migrate_args(tmp_path, out) -> list[str]:
    """A 40-file plain set: 20 envs, each a .sql and a .rollback.sql."""
    args = ["migrate", f"prd={EXAMPLES}/indexes_prd.csv"]
    for i in range(20):
        copy = tmp_path / f"e{i:02d}.csv"
        if not copy.exists():
            shutil.copy(f"{EXAMPLES}/indexes_dev.csv", copy)
        args.append(f"e{i:02d}={copy}")
    return args + ["--baseline", "prd", "--target", "mysql:8.0", "--version",
                   "20260101000000", "--out", str(out)]


def _handlers_installed(pid: int) -> bool:
    """True once the process catches SIGTERM (indexdrift's handlers are in place)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True  # gone already
    caught = int(next(line.split()[1] for line in status.splitlines()
                      if line.startswith("SigCgt:")), 16)
    return bool(caught & (1 << (signal.SIGTERM - 1)))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux)")
def test_signals_while_writing_a_migration_set_leave_all_or_nothing(tmp_path):
    reference = tmp_path / "reference"
    proc, took = run_cli(*_migrate_args(tmp_path, reference), timeout=120)
    assert proc.returncode == 0, proc.stderr
    expected = {p.relative_to(reference): p.read_bytes() for p in reference.rglob("*")}
    assert len(expected) == 40
    rng = random.Random(13)
    outcomes = []
    for run in range(16):
        out = tmp_path / f"out{run}"
        sig = (signal.SIGINT, signal.SIGTERM)[run % 2]
        child = subprocess.Popen([sys.executable, "-m", "indexdrift",
                                  *_migrate_args(tmp_path, out)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not _handlers_installed(child.pid) and time.monotonic() < deadline:
            time.sleep(0.001)
        if run < 8:  # anywhere in the run
            time.sleep(rng.uniform(0, took))
        else:  # while the files are being written: the staging directory exists
            while (child.poll() is None and time.monotonic() < deadline
                   and not (out.exists() and any(out.iterdir()))):
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, 0.3))  # writing, moving into place, or done
        child.send_signal(sig)
        _, stderr = child.communicate(timeout=60)
        assert "Traceback" not in stderr, stderr
        found = ({p.relative_to(out): p.read_bytes() for p in out.rglob("*")}
                 if out.exists() else {})
        assert _leftovers(tmp_path) == []
        if found:
            assert found == expected, f"run {run}: a partial set {sorted(found)}"
            assert child.returncode in (0, 130), stderr
        else:
            assert child.returncode == 130, stderr
        if child.returncode == 130:
            assert stderr.splitlines()[-1] == "interrupted"
            assert stderr.count("interrupted") == 1
        outcomes.append("complete" if found else "nothing")
    # Both ends were reached: some runs were stopped before the set was in place.
    assert "nothing" in outcomes, outcomes


# --- full disks, read-only file systems, no permission: the user's path is named -----------

@pytest.fixture
def tiny_fs(tmp_path):
    """A 64 KiB tmpfs of our own, mounted for the test (root only; skipped otherwise)."""
    mount = tmp_path / "mnt"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(mount: Path) -> None:
    with open(mount / "filler", "wb", buffering=0) as fh:
        try:
            while True:
                fh.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC


def test_full_disk_names_the_users_file_and_leaves_nothing(tiny_fs, tmp_path):
    _fill(tiny_fs)
    report = tiny_fs / "drift.md"
    proc, _ = run_cli("compare", *PAIR, "-o", str(report), timeout=60)
    assert_one_line_error(proc, f"cannot write {report}: No space left on device")
    out = tiny_fs / "migrations"
    proc, _ = run_cli(*_migrate_args(tmp_path, out), timeout=60)
    line = assert_one_line_error(proc, "No space left on device")
    assert line.startswith(f"error: cannot write {out}/e00")
    assert sorted(p.name for p in tiny_fs.iterdir()) == ["filler"]


def test_read_only_file_system_names_the_users_file(tiny_fs, tmp_path):
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_fs)], check=True)
    report = tiny_fs / "drift.json"
    proc, _ = run_cli("compare", *PAIR, "-o", str(report), timeout=60)
    assert_one_line_error(proc, f"cannot write {report}: Read-only file system")
    proc, _ = run_cli(*_migrate_args(tmp_path, tiny_fs / "out"), timeout=60)
    assert_one_line_error(proc, f"cannot write {tiny_fs / 'out'}", "Read-only file system")


@pytest.mark.skipif(not hasattr(os, "fork") or os.geteuid() != 0,
                    reason="needs root to become another user in a forked child")
def test_no_permission_names_the_users_file(tmp_path):
    # Root writes anywhere; a forked child that became nobody does not. (The child runs
    # write_atomic itself: the interpreter may not be executable by nobody.)
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o755)
    os.chmod(tmp_path, 0o755)
    report = locked / "drift.md"
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            try:
                write_atomic(report, "x")
                message = "written"
            except OutputError as exc:
                message = str(exc)
            os.write(write_end, message.encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        message = fh.read().decode()
    os.waitpid(pid, 0)
    assert message == f"cannot write {report}: Permission denied"
    assert list(locked.iterdir()) == []


# --- our own bugs: one line, the traceback with --debug -------------------------------------

@pytest.fixture
def crashing_compare(monkeypatch):
    """A run's first step raising what no code expects (our own code, mocked)."""
    import indexdrift.cli.runs

    def broken(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(indexdrift.cli.runs, "config_for", broken)
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for signum, handler in handlers.items():
        signal.signal(signum, handler)


def _main(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    from indexdrift.cli.main import main

    monkeypatch.setattr(sys, "argv", ["indexdrift", *args])
    with pytest.raises(SystemExit) as stop:
        main()
    return stop.value.code, capsys.readouterr().err


def test_an_unexpected_error_is_one_line_naming_the_command(crashing_compare, monkeypatch,
                                                            capsys):
    monkeypatch.delenv("INDEXDRIFT_DEBUG", raising=False)
    code, err = _main(monkeypatch, capsys, "compare", *PAIR)
    assert code == 2
    assert err.splitlines() == [
        f"error: internal error in indexdrift compare {PAIR[0]} {PAIR[1]}: RuntimeError: boom "
        "(run with --debug for the traceback)"]


@pytest.mark.parametrize("how", ["--debug", "INDEXDRIFT_DEBUG=1"])
def test_debug_shows_the_traceback(crashing_compare, monkeypatch, capsys, how):
    args = ["compare", *PAIR]
    if how == "--debug":
        args.insert(0, "--debug")
    else:
        monkeypatch.setenv("INDEXDRIFT_DEBUG", "1")
    code, err = _main(monkeypatch, capsys, *args)
    assert code == 2
    assert err.startswith("Traceback (most recent call last):")
    assert 'raise RuntimeError("boom' in err
    assert err.splitlines()[-1].startswith("error: internal error in indexdrift ")


def test_an_unexpected_error_line_has_no_password(crashing_compare, monkeypatch, capsys):
    code, err = _main(monkeypatch, capsys, "compare", PAIR[0],
                      "dev=mysql://app:s3cret@127.0.0.1:1/shop")
    assert code == 2 and "s3cret" not in err


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "100000"])
def test_config_timeouts_must_be_finite_seconds(tmp_path, value):
    config = tmp_path / "indexdrift.toml"
    config.write_text(f'read_timeout = {value}\n[envs.prd]\nsource = "{PAIR[0][4:]}"\n'
                      f'[envs.dev]\nsource = "{PAIR[1][4:]}"\n', encoding="utf-8")
    proc, _ = run_cli("compare", "--config", str(config))
    assert_one_line_error(proc, str(config), "read_timeout must be a positive number")


@pytest.mark.postgres
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_during_a_stalled_read_ends_the_run_at_once(pg_big, sig):
    # read_timeout is long: only the interrupt can end this run soon.
    handle, prd, dev = pg_big
    with StallProxy(_server_port("postgresql"), PG_CATALOG, 4096) as proxy:
        stuck = _pg_url(handle, dev, proxy).replace(f"read_timeout={READ_TIMEOUT}",
                                                    "read_timeout=300")
        child = subprocess.Popen([sys.executable, "-m", "indexdrift", "compare",
                                  f"prd={handle.url(prd)}", f"dev={stuck}"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert proxy.stalled.wait(60)
            started = time.monotonic()
            child.send_signal(sig)
            _, stderr = child.communicate(timeout=60)
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate()
    assert time.monotonic() - started < 10
    assert child.returncode == 130
    assert stderr.splitlines() == ["interrupted"]


_WRAPPED_INTERRUPT = """
import signal, sys
import indexdrift.cli.runs
from indexdrift.core.interrupts import Interrupted, interrupt_in

class Trap:
    def __set_name__(self, owner, name):
        raise Interrupted(signal.SIGINT)

def import_interrupted(*args, **kwargs):
    class Victim:
        field = Trap()

try:
    import_interrupted()
except BaseException as exc:
    assert interrupt_in(exc), repr(exc)
assert not interrupt_in(RuntimeError("plain"))
indexdrift.cli.runs.config_for = import_interrupted
from indexdrift.cli.main import main
sys.argv = ["indexdrift", *sys.argv[1:]]
main()
"""


def test_an_interrupt_wrapped_by_class_creation_is_still_an_interrupt():
    """Python 3.11 wraps an exception raised in ``__set_name__`` (a Ctrl-C landing while a
    dataclass module is imported) in a RuntimeError; it must end as an interrupt (exit 130),
    not as an internal error (exit 2) or a traceback. (A child process: the interrupt path
    may end the process with os._exit.)"""
    proc = subprocess.run([sys.executable, "-c", _WRAPPED_INTERRUPT, "compare", *PAIR],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 130, proc.stderr
    assert proc.stderr.splitlines() == ["interrupted"]
