"""Index usage evidence on the real MariaDB (userstat) and in compare's notes and JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.core.i18n import Catalog
from indexdrift.evidence import USERSTAT_OFF, read_usage
from indexdrift.evidence.text import usage_text

pytestmark = pytest.mark.mariadb

TABLE = ("CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY idx_a (a), KEY idx_b (b));"
         "INSERT INTO t VALUES (1, 1, 1), (2, 2, 2), (3, 3, 3), (4, 4, 4)")


@pytest.fixture
def userstat_lock(mariadb):
    """userstat is server-wide: test runs sharing the server take turns changing it."""
    [(got,)] = mariadb.query("SELECT GET_LOCK('indexdrift_test_userstat', 300)")
    assert got == 1, "another test run held the userstat lock for 5 minutes"
    try:
        yield mariadb
    finally:
        mariadb.query("SELECT RELEASE_LOCK('indexdrift_test_userstat')")


@pytest.fixture
def userstat(userstat_lock):
    """Turn userstat on for the test (server-wide; the previous value is restored)."""
    mariadb = userstat_lock
    [(before,)] = mariadb.query("SELECT @@GLOBAL.userstat")
    mariadb.query("SET GLOBAL userstat = ON")
    try:
        yield mariadb
    finally:
        mariadb.query(f"SET GLOBAL userstat = {int(before)}")


def test_reads_are_counted_after_queries_that_use_the_index(userstat):
    db = userstat.create_db("usage")
    userstat.run(db, TABLE)
    userstat.query("FLUSH INDEX_STATISTICS")
    for value in (1, 2, 3):
        userstat.query(f"SELECT a FROM `{db}`.t FORCE INDEX (idx_a) WHERE a = %s", (value,))
    report = read_usage(userstat.url(db), "dev")
    assert report.source == "userstat" and report.unavailable is None
    assert report.evidence("t", "idx_a").reads == 3
    assert report.evidence("T", "IDX_A").reads == 3  # names compare case-insensitively
    assert report.evidence("t", "idx_b").reads == 0  # no row: never read
    assert report.uptime_seconds > 0
    text = usage_text(report.evidence("t", "idx_b"), Catalog("en"))
    assert text.startswith("0 reads since userstat was enabled or flushed (server up ")


def test_userstat_off_says_so_and_how_to_enable_it(userstat_lock):
    mariadb = userstat_lock
    [(before,)] = mariadb.query("SELECT @@GLOBAL.userstat")
    db = mariadb.create_db("usageoff")
    mariadb.run(db, TABLE)
    mariadb.query("SET GLOBAL userstat = OFF")
    try:
        report = read_usage(mariadb.url(db), "prd")
    finally:
        mariadb.query(f"SET GLOBAL userstat = {int(before)}")
    if report.source == "performance_schema":
        pytest.skip("this server has performance_schema on: usage comes from there")
    assert report.unavailable == USERSTAT_OFF
    assert report.evidence("t", "idx_a").reads is None
    prd, dev = db, mariadb.create_db("usageoffdev")
    mariadb.run(dev, TABLE + ";CREATE INDEX idx_extra ON t (a, b)")
    mariadb.query("SET GLOBAL userstat = OFF")
    try:
        result = CliRunner().invoke(cli, ["compare", f"prd={mariadb.url(prd)}",
                                          f"dev={mariadb.url(dev)}", "--lang", "en"])
    finally:
        mariadb.query(f"SET GLOBAL userstat = {int(before)}")
    assert result.exit_code == 1
    assert "userstat is off (enable it with SET GLOBAL userstat=1, or userstat=1 in my.cnf)" \
        in result.output
    # one line for both envs (issue 17: said once, not per env and note)
    assert "warning: usage unknown in prd, dev: userstat is off (enable it" in result.output
    assert "usage unknown in dev: userstat is off" not in result.output


def test_compare_note_and_json_carry_usage_of_env_and_baseline(userstat):
    prd, dev = userstat.create_db("prd"), userstat.create_db("dev")
    userstat.run(prd, TABLE)
    # dev has idx_a twice: idx_a2 is only in dev, and prd has it under the name idx_a.
    userstat.run(dev, TABLE + ";CREATE INDEX idx_a2 ON t (a)")
    userstat.query("FLUSH INDEX_STATISTICS")
    for _ in range(5):
        userstat.query(f"SELECT a FROM `{prd}`.t FORCE INDEX (idx_a) WHERE a = 2")
    runner = CliRunner()
    args = ["compare", f"prd={userstat.url(prd)}", f"dev={userstat.url(dev)}", "--lang", "en"]
    result = runner.invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 1, result.output
    doc = json.loads(result.output[result.output.index("{"):])
    [finding] = [f for f in doc["findings"] if f["index"] == "idx_a2"]
    assert finding["usage"]["reads"] == 0 and finding["usage"]["env"] == "dev"
    assert finding["usage"]["source"] == "userstat"
    assert finding["baseline_usage"]["reads"] == 5
    assert finding["baseline_usage"]["index"] == "idx_a"
    assert "0 reads since userstat" in finding["note"]
    assert "usage in prd (as idx_a): 5 reads" in finding["note"]
    # --usage-from prd: the evidence is prd's own.
    result = runner.invoke(cli, [*args, "--format", "json", "--usage-from", "prd"])
    doc = json.loads(result.output[result.output.index("{"):])
    [finding] = [f for f in doc["findings"] if f["index"] == "idx_a2"]
    assert finding["usage"]["env"] == "prd" and finding["usage"]["reads"] == 5
    bad = runner.invoke(cli, [*args, "--usage-from", "qa"])
    assert bad.exit_code != 0 and "--usage-from qa: no such environment" in str(bad.exception)


def _without_uptime(report):
    return (report.env, report.source, report.unit, report.since, report.counts,
            report.unavailable)


def test_the_catalog_read_takes_the_counters_on_its_own_connection(userstat):
    """``usage=True``: the report the catalog read took (Snapshot.usage) is the one a
    connection of its own reads; without it the snapshot carries none."""
    from indexdrift.dialects.mysql.catalog import read_mysql
    from indexdrift.sources.urls import parse_url

    db = userstat.create_db("usage_catalog")
    userstat.run(db, TABLE)
    userstat.query("FLUSH INDEX_STATISTICS")
    userstat.query(f"SELECT a FROM `{db}`.t FORCE INDEX (idx_a) WHERE a = 2")
    url = parse_url(userstat.url(db))
    taken = read_mysql(url, "dev", usage=True).usage
    assert taken is not None and taken.evidence("t", "idx_a").reads == 1
    assert _without_uptime(taken) == _without_uptime(read_usage(userstat.url(db), "dev"))
    assert read_mysql(url, "dev").usage is None


def test_compare_json_is_the_same_with_counters_from_the_catalog_read(userstat, monkeypatch):
    """compare attaches the counters the catalog reads took; --usage-from and --no-usage
    still decide whose (the JSON as when every env's were read on their own)."""
    from indexdrift.evidence import attach

    prd, dev = userstat.create_db("usage_cprd"), userstat.create_db("usage_cdev")
    userstat.run(prd, TABLE)
    userstat.run(dev, TABLE + ";ALTER TABLE t DROP KEY idx_b, ADD KEY idx_ab (a, b)")
    userstat.query("FLUSH INDEX_STATISTICS")
    userstat.query(f"SELECT a FROM `{dev}`.t FORCE INDEX (idx_a) WHERE a = 3")
    args = ["compare", f"prd={userstat.url(prd)}", f"dev={userstat.url(dev)}",
            "--format", "json"]
    read_reports = attach.read_reports

    def on_their_own(comparison, specs, envs):
        # What the run did before the catalog reads took the counters along.
        bare = {name: _no_usage(snap) for name, snap in comparison.snapshots.items()}
        return read_reports(type(comparison)(comparison.baseline, comparison.envs, bare,
                                             comparison.findings), specs, envs)

    for extra in ([], ["--usage-from", "prd"], ["--no-usage"]):
        out = CliRunner().invoke(cli, [*args, *extra])
        assert out.exit_code == 1, out.output
        taken = json.loads(out.stdout)
        with monkeypatch.context() as patch:
            patch.setattr(attach, "read_reports", on_their_own)
            out = CliRunner().invoke(cli, [*args, *extra])
        assert _uptime_masked(json.loads(out.stdout)) == _uptime_masked(taken)
        usage = [f["usage"] for f in taken["findings"] if f["usage"]]
        assert bool(usage) is (extra != ["--no-usage"])


def _no_usage(snapshot):
    from dataclasses import replace

    return replace(snapshot, usage=None)


def _uptime_masked(value):
    if isinstance(value, dict):
        return {k: None if k in ("uptime_seconds", "window_seconds") else _uptime_masked(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_uptime_masked(v) for v in value]
    return value


def test_fleet_targets_take_their_counters_on_the_catalog_connection(userstat, monkeypatch,
                                                                       tmp_path):
    """A fleet target's counters come with its catalog read (kept in its summary): no
    connection reads them after the compare, and the JSON is the one reading them on
    their own connections gives."""
    import uuid

    from indexdrift.evidence import attach

    token = uuid.uuid4().hex[:6]
    prd = userstat.create_db("usage_fprd")
    userstat.run(prd, TABLE)
    shards = [userstat.create_db(f"{token}_us{n}") for n in (1, 2)]
    for db in shards:
        userstat.run(db, TABLE)
    userstat.run(shards[1], "ALTER TABLE t DROP KEY idx_b, ADD KEY idx_ab (a, b)")
    userstat.query("FLUSH INDEX_STATISTICS")
    userstat.query(f"SELECT a FROM `{shards[1]}`.t FORCE INDEX (idx_ab) WHERE a = 3")
    config = tmp_path / "indexdrift.toml"
    server = userstat.url(prd).rsplit("/", 1)[0] + "/"
    config.write_text(f'baseline = "prd"\n[envs.prd]\nsource = "{userstat.url(prd)}"\n'
                      f'[envs.shards]\nsource = "{server}"\nschemas = "idt_%{token}_us%"\n',
                      encoding="utf-8")
    args = ["compare", "--config", str(config), "--format", "json", "--jobs", "2"]
    read_alone = []
    own_read = attach._read
    monkeypatch.setattr(attach, "_read", lambda *a: read_alone.append(a) or own_read(*a))
    out = CliRunner().invoke(cli, args)
    assert out.exit_code == 1, out.output
    assert read_alone == []
    taken = json.loads(out.stdout)
    assert any(f["usage"] and f["usage"]["reads"] == 1 for f in taken["findings"])
    read_reports = attach.read_reports

    def on_their_own(comparison, specs, envs):
        bare = {name: _no_usage(snap) for name, snap in comparison.snapshots.items()}
        return read_reports(type(comparison)(comparison.baseline, comparison.envs, bare,
                                             comparison.findings), specs, envs)

    monkeypatch.setattr(attach, "read_reports", on_their_own)
    out = CliRunner().invoke(cli, args)
    assert len(read_alone) == 3  # the baseline and both targets, on their own now
    assert _uptime_masked(json.loads(out.stdout)) == _uptime_masked(taken)
