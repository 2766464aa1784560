"""Fleets: many targets per env, a bounded pool, and dead or silent shards that stop nothing."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
import time
import uuid
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from indexdrift.cli import cli
from indexdrift.fleet import Target, read_targets, with_schema
from indexdrift.model import Snapshot

ROOT = Path(__file__).parent.parent
REPORT_SCHEMA = json.loads((ROOT / "schema" / "indexdrift-report.schema.json")
                           .read_text(encoding="utf-8"))
SHOP = """
CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100), KEY ix_email (email));
CREATE TABLE orders (id INT PRIMARY KEY, user_id INT, KEY ix_user (user_id));
"""


def free_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SilentServer:
    """Accepts connections and never says a word: a hung server or a black-holed proxy."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.clients: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.clients.append(conn)

    def close(self) -> None:
        self.sock.close()
        for c in self.clients:
            c.close()


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()


def test_pool_reads_every_target_with_at_most_jobs_at_once():
    lock = threading.Lock()
    running, peak = 0, 0

    def read(target: Target) -> Snapshot:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.02)
        with lock:
            running -= 1
        if target.env == "f.bad":
            raise OSError("connection refused")
        return Snapshot(source=target.source, schema=None)

    targets = [Target(f"f.t{i}", f"s{i}", "f") for i in range(9)] + [Target("f.bad", "x", "f")]
    result = read_targets(targets, read, jobs=3, progress=False)
    assert peak <= 3
    assert list(result.snapshots) == [f"f.t{i}" for i in range(9)]  # target order kept
    assert result.failures == {"f.bad": "OSError: connection refused"}


def test_shard_url_keeps_the_options():
    assert with_schema("mysql://app@h:3306/?read_timeout=5", "shop_01") == \
        "mysql://app@h:3306/shop_01?read_timeout=5"


@pytest.fixture
def fleet(mariadb):
    """A baseline schema and three shards named with a pattern; shard 2 lacks an index."""
    token = uuid.uuid4().hex[:6]
    prd = mariadb.create_db("prd")
    mariadb.run(prd, SHOP)
    shards = []
    for n in (1, 2, 3):
        db = mariadb.create_db(f"{token}_s{n}")
        mariadb.run(db, SHOP)
        shards.append(db)
    mariadb.run(shards[1], "ALTER TABLE orders DROP INDEX ix_user")
    reader = mariadb.create_user(["SELECT ON `idt\\_%`.*"])
    return {"prd": prd, "shards": shards, "pattern": f"idt_%{token}_s%", "reader": reader}


def _server(mariadb, user: str) -> str:
    return mariadb.user_url(user, "").rstrip("/") + "/"


@pytest.mark.mariadb
def test_schema_pattern_expands_and_each_shard_is_compared_on_its_own(mariadb, fleet, tmp_path):
    config = tmp_path / "indexdrift.toml"
    config.write_text(f"""
baseline = "prd"
[envs.prd]
source = "{mariadb.user_url(fleet['reader'], fleet['prd'])}"
[envs.shards]
source = "{_server(mariadb, fleet['reader'])}"
schemas = "{fleet['pattern']}"
""", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--config", str(config), "--format", "json",
                                      "--jobs", "2"])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, REPORT_SCHEMA)
    # One target per matching schema, in name order (the SCHEMATA query sorts them).
    assert doc["envs"] == sorted(f"shards.{db}" for db in fleet["shards"])
    assert [(f["env"], f["table"], f["index"], f["kind"]) for f in doc["findings"]] == \
        [(f"shards.{fleet['shards'][1]}", "orders", "ix_user", "missing")]


@pytest.mark.mariadb
def test_dead_and_silent_shards_are_reported_and_the_rest_is_written(mariadb, fleet, tmp_path,
                                                                     silent_server):
    reader = fleet["reader"]
    good = [mariadb.user_url(reader, db) for db in fleet["shards"]]
    dead = f"mysql://{reader}@127.0.0.1:{free_port()}/shop"
    silent = f"mysql://{reader}@127.0.0.1:{silent_server.port}/shop"
    config = tmp_path / "indexdrift.toml"
    config.write_text(f"""
baseline = "prd"
connect_timeout = 1
[envs.prd]
source = "{mariadb.user_url(reader, fleet['prd'])}"
[envs.shards.sources]
one = "{good[0]}"
two = "{good[1]}"
dead = "{dead}"
silent = "{silent}"
three = "{good[2]}"
""", encoding="utf-8")
    out_json, out_md, out_csv = (tmp_path / "drift.json", tmp_path / "drift.md",
                                 tmp_path / "drift.csv")
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["check", "--config", str(config), "-o", str(out_json),
                                      "-o", str(out_md), "-o", str(out_csv)])
    elapsed = time.monotonic() - started
    assert result.exit_code == 2, result.output
    assert "INCOMPLETE" in result.stderr
    assert "env shards.dead: cannot connect" in result.stderr
    assert "env shards.silent: cannot connect" in result.stderr
    assert "timed out" in result.stderr
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    jsonschema.validate(doc, REPORT_SCHEMA)
    assert doc["incomplete"] is True
    assert [f["env"] for f in doc["failed"]] == ["shards.dead", "shards.silent"]
    assert doc["envs"] == ["shards.one", "shards.two", "shards.three"]
    assert [(f["env"], f["index"]) for f in doc["findings"]] == [("shards.two", "ix_user")]
    md = out_md.read_text(encoding="utf-8")
    assert "Incomplete" in md and "shards.silent" in md
    rows = list(csv.reader(io.StringIO(out_csv.read_text(encoding="utf-8-sig"))))
    unread = [r for r in rows[1:] if r[0] == ""]
    assert [r[-1].split(":")[0] for r in unread] == ["shards.dead", "shards.silent"]
    assert all(r[-2] == "Incomplete: some targets could not be read" for r in unread)
    assert [r[0] for r in rows[1:] if r[0]] == ["ix_user"]
    # A silent shard costs its connect timeout, not the 600 s read timeout. (Loose bound:
    # this guards against hanging, it is not a speed test.)
    assert elapsed < 60


@pytest.mark.mariadb
def test_silent_single_env_is_a_timeout_error_naming_the_env(mariadb, silent_server, tmp_path):
    import subprocess
    import sys

    db = mariadb.create_db("prd")
    mariadb.run(db, SHOP)
    url = f"mysql://app@127.0.0.1:{silent_server.port}/shop?connect_timeout=1"
    out = tmp_path / "r.json"
    proc = subprocess.run([sys.executable, "-m", "indexdrift", "compare",
                           f"prd={mariadb.url(db)}", f"stg={url}", "-o", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: env stg: cannot connect to mysql://app@127.0.0.1:")
    assert "timed out" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def test_progress_bar_mode_reads_the_same():
    targets = [Target(f"f.t{i}", f"s{i}", "f") for i in range(3)]
    result = read_targets(targets, lambda t: Snapshot(source=t.source, schema=None), jobs=2,
                          progress=True)
    assert list(result.snapshots) == ["f.t0", "f.t1", "f.t2"] and not result.failures
