"""One table share per run, live MariaDB included (issue 15): the envs of a run get one
Table object for a table whose catalog rows are the same, a later run in the same process
never gets an earlier run's, a fleet's targets get the baseline's, and a fleet's share
stays bounded (dialects/mysql/reuse.py, sources/tableshare.py). Reports are the same
either way."""

from __future__ import annotations

import json
import uuid

import pytest
from click.testing import CliRunner

from indexdrift.cli import runs
from indexdrift.cli.main import cli
from indexdrift.dialects.mysql import reuse
from indexdrift.dialects.mysql.catalog import read_mysql
from indexdrift.sources import open_source
from indexdrift.sources.tableshare import TableShare
from indexdrift.sources.urls import parse_url

pytestmark = pytest.mark.mariadb

SHOP = """
CREATE TABLE users (id INT PRIMARY KEY, email VARCHAR(100), KEY ix_email (email));
CREATE TABLE orders (id INT PRIMARY KEY, user_id INT, KEY ix_user (user_id));
CREATE TABLE notes (id INT PRIMARY KEY, body VARCHAR(50));
"""


class _Counted(TableShare):
    """A share that remembers itself, to tell what each run's share held."""

    made: list[TableShare] = []

    def __init__(self) -> None:
        super().__init__()
        self.made.append(self)


@pytest.fixture
def counted(monkeypatch):
    """The shares the runs make, in order."""
    made: list[TableShare] = []
    monkeypatch.setattr(_Counted, "made", made)
    monkeypatch.setattr(runs, "TableShare", _Counted)
    return made


@pytest.fixture
def read_tables(monkeypatch):
    """Every env's tables as its reader returned them (before a fleet's summary)."""
    found: dict[str, dict] = {}
    real = runs.open_source

    def traced(source, env, **kwargs):
        snap = real(source, env, **kwargs)
        found[env] = dict(snap.tables)
        return snap

    monkeypatch.setattr(runs, "open_source", traced)
    return found


@pytest.fixture
def shop(mariadb):
    """prd and dev with the same tables but for dev's orders (an index more)."""
    prd, dev = mariadb.create_db("prd", prefix="hsh"), mariadb.create_db("dev", prefix="hsh")
    for db in (prd, dev):
        mariadb.run(db, SHOP)
    mariadb.run(dev, "ALTER TABLE orders ADD KEY ix_extra (user_id, id)")
    return [f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}"]


def test_a_runs_envs_share_tables_and_two_runs_share_none(shop, counted):
    one = runs.run_comparison(shop, "prd", warn=lambda _text: None)
    two = runs.run_comparison(shop, "prd", warn=lambda _text: None)
    assert len(counted) == 2 and counted[0] is not counted[1]
    a, b = one.snapshots["prd"], one.snapshots["dev"]
    c, d = two.snapshots["prd"], two.snapshots["dev"]
    for first, second, share in ((a, b, counted[0]), (c, d, counted[1])):
        assert second.tables["users"] is first.tables["users"]
        assert second.tables["notes"] is first.tables["notes"]
        assert second.tables["orders"] is not first.tables["orders"]
        assert share.hits == 2
    earlier = {id(t) for snap in (a, b) for t in snap.tables.values()}
    assert not earlier & {id(t) for snap in (c, d) for t in snap.tables.values()}
    # The findings are the same (and only dev's extra index).
    assert [(f.env, f.table, f.index, f.kind) for f in one.findings] == \
        [(f.env, f.table, f.index, f.kind) for f in two.findings] == \
        [("dev", "orders", "ix_extra", "extra")]


def test_the_reader_without_a_share_builds_tables_of_its_own(shop):
    url = parse_url(shop[0].split("=", 1)[1])
    one, two = read_mysql(url, "prd"), read_mysql(url, "prd")
    for name, table in one.tables.items():
        assert two.tables[name] is not table
        # The same Index objects (immutable: the reader's process-wide memo).
        assert all(two.tables[name].indexes[k] is ix for k, ix in table.indexes.items())
    share = TableShare()
    three = open_source(shop[0].split("=", 1)[1], "prd", share=share)
    four = open_source(shop[0].split("=", 1)[1], "prd", share=share)
    assert all(four.tables[n] is t for n, t in three.tables.items())
    assert all(three.tables[n] is not t for n, t in one.tables.items())
    assert {key[0] for key in share._tables} == {reuse.SHARE_TAG}


def test_a_detailed_run_shares_no_table(shop, counted):
    comparison = runs.run_comparison(shop, "prd", detail=True, warn=lambda _text: None)
    a, b = comparison.snapshots["prd"], comparison.snapshots["dev"]
    assert all(b.tables[n] is not t for n, t in a.tables.items())
    assert len(counted[0]) == 0


@pytest.fixture
def fleet(mariadb, tmp_path):
    """A baseline and four target schemas by pattern; the third lacks an index."""
    token = uuid.uuid4().hex[:6]
    prd = mariadb.create_db("prd", prefix="hsh")
    mariadb.run(prd, SHOP)
    shards = []
    for n in range(1, 5):
        db = mariadb.create_db(f"{token}_s{n}", prefix="hsh")
        mariadb.run(db, SHOP)
        shards.append(db)
    mariadb.run(shards[2], "ALTER TABLE orders DROP INDEX ix_user")
    server = mariadb.url("").rstrip("/") + "/"
    config = tmp_path / "indexdrift.toml"
    config.write_text(f"""
baseline = "prd"
[envs.prd]
source = "{mariadb.url(prd)}"
[envs.shards]
source = "{server}"
schemas = "hsh\\\\_%{token}\\\\_s%"
""", encoding="utf-8")
    return {"config": str(config), "shards": shards}


def _report(config: str, tmp_path, name: str) -> bytes:
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["compare", "--config", config, "--jobs", "1",
                                      "--format", "json", "-o", str(out)])
    assert result.exit_code == 1, result.output
    return out.read_bytes()


def test_a_fleet_reuses_the_baselines_tables_within_a_bound(fleet, tmp_path, counted,
                                                           read_tables, monkeypatch):
    # One read at a time: the baseline is read first, so its tables are the share's.
    runs.run_comparison((), None, config_path=fleet["config"], jobs=1,
                        warn=lambda _text: None)
    base = read_tables["prd"]
    targets = [f"shards.{db}" for db in fleet["shards"]]
    assert sorted(read_tables) == sorted(["prd", *targets])
    for n, env in enumerate(targets):
        for name, table in read_tables[env].items():
            if n == 2 and name == "orders":
                assert table is not base[name]
            else:
                assert table is base[name], (env, name)
    assert counted[0].hits == 4 * 3 - 1
    assert len(counted[0]) == 3 + 1  # the baseline's tables and the third's orders

    # A bound of two: the share keeps the baseline's first two tables, no more; the
    # report is byte for byte the unbounded one's.
    unbounded = _report(fleet["config"], tmp_path, "unbounded.json")
    monkeypatch.setattr(reuse, "MAX_TABLES", 2)
    read_tables.clear()
    bounded = _report(fleet["config"], tmp_path, "bounded.json")
    assert len(counted[-1]) == 2
    base = read_tables["prd"]
    shared = {name for name in base if read_tables[targets[0]][name] is base[name]}
    assert len(shared) == 2
    assert bounded == unbounded
    doc = json.loads(bounded)
    assert [(f["env"], f["table"], f["index"], f["kind"]) for f in doc["findings"]] == \
        [(targets[2], "orders", "ix_user", "missing")]


def test_schema_files_read_on_the_scratch_server_share_like_live_envs(mariadb, tmp_path,
                                                                      monkeypatch):
    from indexdrift.sources import scratch_session

    monkeypatch.setattr(scratch_session, "_SCRATCH", {})
    scratch_session.set_scratch(mariadb.url("").rstrip("/"))
    before = {r[0] for r in mariadb.query("SHOW DATABASES LIKE 'indexdrift\\_scratch\\_%'")}
    prd = mariadb.create_db("prd", prefix="hsh")
    mariadb.run(prd, SHOP)
    schema = tmp_path / "shop.sql"
    schema.write_text(SHOP, encoding="utf-8")
    share = TableShare()
    live = open_source(mariadb.url(prd), "prd", share=share)
    files = open_source(str(schema), "repo", share=share)
    assert all(files.tables[n] is t for n, t in live.tables.items())
    assert files.schema is None and live.schema == prd  # the snapshots stay their own
    assert all(open_source(str(schema), "repo").tables[n] is not t
               for n, t in live.tables.items())
    after = {r[0] for r in mariadb.query("SHOW DATABASES LIKE 'indexdrift\\_scratch\\_%'")}
    assert after <= before
