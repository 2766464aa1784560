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

from indexdrift.cli.main import cli
from indexdrift.model.tables import Snapshot
from indexdrift.sources.fleet import Target, read_targets, with_schema

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
    unread = [r for r in rows[1:] if r[0] == "" and r[-2].startswith("Incomplete")]
    assert [r[-1].split(":")[0] for r in unread] == ["shards.dead", "shards.silent"]
    assert all(r[-2] == "Incomplete: some targets could not be read" for r in unread)
    counts = [r[-1] for r in rows[1:] if r[0] == "" and r[-2] == "Fleet targets"]
    assert counts == ["shards: 5 listed targets (3 read)"]
    assert doc["fleets"] == [{"env": "shards", "pattern": None, "targets": 5, "read": 3,
                              "min_targets": None, "expect_targets": None, "ok": True}]
    # One row per env and finding (the default CSV layout): env, kind, table, index...
    assert [(r[0], r[3]) for r in rows[1:] if r[0]] == [("shards.two", "ix_user")]
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


# --- how many targets a fleet had: min_targets / expect_targets -------------------------------

def test_min_and_expect_targets_are_fleet_only_whole_numbers():
    from indexdrift.core.errors import InputError
    from indexdrift.sources.config import parse_config

    config = parse_config({"envs": {"p": {"source": "p.csv"},
                                    "f": {"sources": ["a.csv", "b.csv"], "min_targets": 2,
                                          "expect_targets": 2}}})
    assert (config.envs["f"].min_targets, config.envs["f"].expect_targets) == (2, 2)
    for body, message in (
            ({"source": "p.csv", "min_targets": 2}, "envs.x.min_targets: only a fleet"),
            ({"sources": ["a.csv"], "expect_targets": 0}, "envs.x.expect_targets must be a "
                                                          "whole number of targets"),
            ({"sources": ["a.csv"], "min_targets": "3"}, "not '3'"),
            ({"sources": ["a.csv"], "min_targets": True}, "whole number")):
        with pytest.raises(InputError, match=message):
            parse_config({"envs": {"x": body}})


def test_fleet_count_shortfall_names_env_pattern_count_and_expectation():
    from indexdrift.sources.fleet import FleetCount

    assert FleetCount("s", "shop\\_%", 3, 3, min_targets=3).shortfall() is None
    assert FleetCount("s", "shop\\_%", 2, 2, min_targets=3).shortfall() == \
        "env s: schemas LIKE 'shop\\_%' matched 2 target(s), expected at least 3 (min_targets)"
    assert FleetCount("s", None, 4, 4, expect_targets=3).shortfall() == \
        "env s: sources list 4 target(s), expected 3 (expect_targets)"
    assert FleetCount("s", "p%", None, 0, min_targets=3).shortfall() is None  # listing failed


@pytest.fixture
def partly_visible(mariadb):
    """Three shards on the server; the account may read (and so see) only two of them."""
    token = uuid.uuid4().hex[:6]
    prd = mariadb.create_db("prd")
    mariadb.run(prd, SHOP)
    shards = []
    for n in (1, 2, 3):
        db = mariadb.create_db(f"{token}_s{n}")
        mariadb.run(db, SHOP)
        shards.append(db)
    reader = mariadb.create_user([f"SELECT ON `{db}`.*" for db in (prd, shards[0], shards[2])])
    return {"prd": prd, "shards": shards, "pattern": f"idt_%{token}_s%", "reader": reader}


def _pattern_config(mariadb, fleet, tmp_path, extra: str = "") -> Path:
    config = tmp_path / "indexdrift.toml"
    config.write_text(f"""
baseline = "prd"
[envs.prd]
source = "{mariadb.user_url(fleet['reader'], fleet['prd'])}"
[envs.shards]
source = "{_server(mariadb, fleet['reader'])}"
schemas = "{fleet['pattern']}"
{extra}
""", encoding="utf-8")
    return config


def _reports(tmp_path) -> dict[str, Path]:
    return {ext: tmp_path / f"drift.{ext}" for ext in ("json", "md", "csv", "html", "xlsx", "txt")}


def _report_texts(paths: dict[str, Path]) -> dict[str, str]:
    import html

    import openpyxl

    # The text reports (JSON carries the counts as data: "fleets").
    texts = {ext: path.read_text(encoding="utf-8-sig") for ext, path in paths.items()
             if ext not in ("xlsx", "json")}
    texts["html"] = html.unescape(texts["html"])
    texts["md"] = texts["md"].replace("\\_", "_")  # Markdown escapes a "_" at a word edge
    book = openpyxl.load_workbook(paths["xlsx"])
    texts["xlsx"] = "\n".join(str(c.value) for row in book["Summary"].iter_rows() for c in row
                              if c.value is not None)
    return texts


@pytest.mark.mariadb
def test_every_report_says_how_many_targets_the_pattern_matched(mariadb, partly_visible,
                                                                tmp_path):
    config = _pattern_config(mariadb, partly_visible, tmp_path)
    paths = _reports(tmp_path)
    args = ["check", "--config", str(config)]
    for path in paths.values():
        args += ["-o", str(path)]
    result = CliRunner().invoke(cli, args)
    # The account sees two of the three shards: without an expectation the run is clean.
    assert result.exit_code == 0, result.output
    line = f"shards: 2 targets matched schemas LIKE '{partly_visible['pattern']}'"
    for ext, text in _report_texts(paths).items():
        assert line in text, ext
    doc = json.loads(paths["json"].read_text(encoding="utf-8"))
    jsonschema.validate(doc, REPORT_SCHEMA)
    assert doc["fleets"] == [{"env": "shards", "pattern": partly_visible["pattern"],
                              "targets": 2, "read": 2, "min_targets": None,
                              "expect_targets": None, "ok": True}]
    table = CliRunner().invoke(cli, ["compare", "--config", str(config)])
    assert line in table.stdout


@pytest.mark.mariadb
def test_a_fleet_that_shrank_below_min_targets_fails_with_exit_2(mariadb, partly_visible,
                                                                 tmp_path):
    config = _pattern_config(mariadb, partly_visible, tmp_path, "min_targets = 3")
    paths = _reports(tmp_path)
    args = ["check", "--config", str(config)]
    for path in paths.values():
        args += ["-o", str(path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    pattern = partly_visible["pattern"]
    assert (f"error: env shards: schemas LIKE '{pattern}' matched 2 target(s), expected at "
            "least 3 (min_targets)") in result.stderr.splitlines()
    assert "Traceback" not in result.output
    assert ("check: INCOMPLETE — fleet(s) shards short of their target count; 0 target(s) "
            "could not be read") in result.stderr
    doc = json.loads(paths["json"].read_text(encoding="utf-8"))
    jsonschema.validate(doc, REPORT_SCHEMA)
    assert doc["incomplete"] is True and [f["env"] for f in doc["failed"]] == ["shards"]
    assert doc["fleets"][0]["targets"] == 2 and doc["fleets"][0]["min_targets"] == 3
    assert doc["fleets"][0]["ok"] is False
    for ext, text in _report_texts(paths).items():
        assert "expected at least 3" in text and "NOT MET" in text, ext
    # The flag overrides the file: 2 is what this account should see.
    result = CliRunner().invoke(cli, ["check", "--config", str(config), "-q",
                                      "--min-targets", "shards=2"])
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["check", "--config", str(config), "-q",
                                      "--min-targets", "shards=2", "--expect-targets",
                                      "shards=3"])
    assert result.exit_code == 2
    assert "matched 2 target(s), expected 3 (expect_targets)" in result.stderr


@pytest.mark.mariadb
def test_expect_targets_in_korean_reports(mariadb, partly_visible, tmp_path):
    config = _pattern_config(mariadb, partly_visible, tmp_path, "expect_targets = 3")
    out = tmp_path / "drift.md"
    result = CliRunner().invoke(cli, ["check", "--config", str(config), "--lang", "ko",
                                      "-o", str(out)])
    assert result.exit_code == 2, result.output
    text = out.read_text(encoding="utf-8")
    assert "에 맞는 대상 2개 (기대값 3개; 조건 불충족: 실행 실패)" in text


@pytest.mark.mariadb
def test_bad_target_count_flags_are_one_line_errors(mariadb, partly_visible, tmp_path):
    import subprocess
    import sys

    config = _pattern_config(mariadb, partly_visible, tmp_path)
    for flag, message in ((["--min-targets", "nope=1"],
                           "error: --min-targets nope: not a fleet env of this run "
                           "(fleets: shards)"),
                          (["--min-targets", "prd=1"], "--min-targets prd: not a fleet env"),
                          (["--expect-targets", "shards=0"], "whole number of targets"),
                          (["--expect-targets", "shards"], "is not ENV=N")):
        proc = subprocess.run([sys.executable, "-m", "indexdrift", "check", "--config",
                               str(config), "-q", *flag], capture_output=True, text=True,
                              timeout=120)
        assert proc.returncode == 2, (flag, proc.stderr)
        assert message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


@pytest.mark.postgres
def test_postgres_fleet_of_listed_sources_counts_its_targets(postgres, tmp_path):
    dbs = [postgres.create_db(name) for name in ("prd", "a", "b")]
    for db in dbs:
        postgres.run(db, "CREATE TABLE users (id int PRIMARY KEY, email text);"
                         "CREATE INDEX ix_email ON users (email)")
    config = tmp_path / "indexdrift.toml"
    config.write_text(f"""
baseline = "prd"
[envs.prd]
source = "{postgres.url(dbs[0])}"
[envs.edge]
sources = {{ a = "{postgres.url(dbs[1])}", b = "{postgres.url(dbs[2])}" }}
expect_targets = 3
""", encoding="utf-8")
    out = tmp_path / "drift.json"
    result = CliRunner().invoke(cli, ["check", "--config", str(config), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "env edge: sources list 2 target(s), expected 3 (expect_targets)" in result.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(doc, REPORT_SCHEMA)
    assert doc["envs"] == ["edge.a", "edge.b"] and doc["findings"] == []
    assert doc["fleets"] == [{"env": "edge", "pattern": None, "targets": 2, "read": 2,
                              "min_targets": None, "expect_targets": 3, "ok": False}]
