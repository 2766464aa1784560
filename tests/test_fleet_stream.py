"""Fleets stream: each target is compared as soon as it is read and its snapshot dropped,
with reports byte for byte those of a run that keeps every snapshot."""

from __future__ import annotations

import gc
import json
import threading
import time
import weakref
from dataclasses import fields
from pathlib import Path

import pytest
from click.testing import CliRunner
from csvtools import BASE, stats_csv

from indexdrift.cli import runs
from indexdrift.cli.main import cli
from indexdrift.compare.stream import EnvSummary
from indexdrift.model.tables import Snapshot
from indexdrift.sources.fleet import Target, read_targets


def _rows(*, drop: str | None = None, rename_case: bool = False, extra: bool = False,
          duplicate: bool = False) -> list[tuple]:
    rows = [r for r in BASE if r[0] != drop]
    if rename_case:  # same index under another case: no finding, another name in reports
        rows = [(t, "IDX_USER_CREATED" if i == "idx_user_created" else i, *rest)
                for t, i, *rest in rows]
    if extra:
        rows.append(("audit", "PRIMARY", 0, 1, "id", "A", None, "BTREE", ""))
    if duplicate:  # a lint advisory (duplicate of uq_email's leading part)
        rows.append(("users", "ix_email_dup", 1, 1, "email", "A", None, "BTREE", ""))
    return rows


def _fleet(tmp_path: Path) -> Path:
    """A baseline, a single env and a fleet of four CSV targets with assorted drift."""
    files = {
        "prd": _rows(),
        "stg": _rows(extra=True),
        "a": _rows(drop="orders"),
        "b": _rows(rename_case=True),
        "c": _rows(extra=True, duplicate=True),
        "d": _rows(),
    }
    for name, rows in files.items():
        (tmp_path / f"{name}.csv").write_text(stats_csv(rows), encoding="utf-8")
    config = tmp_path / "indexdrift.toml"
    shards = ", ".join(f'{n} = "{(tmp_path / f"{n}.csv").as_posix()}"' for n in "abcd")
    config.write_text(
        'baseline = "prd"\n'
        f'[envs.prd]\nsource = "{(tmp_path / "prd.csv").as_posix()}"\n'
        f'[envs.stg]\nsource = "{(tmp_path / "stg.csv").as_posix()}"\n'
        f"[envs.shards]\nsources = {{ {shards} }}\n", encoding="utf-8")
    return config


class _Traced(Snapshot):
    """A Snapshot that can be weakly referenced (Snapshot has slots, no __weakref__)."""

    __slots__ = ("__weakref__",)


@pytest.fixture
def traced(monkeypatch):
    """Every snapshot the run reads, by env, as a weak reference."""
    refs: dict[str, weakref.ref] = {}
    real = runs.open_source

    def open_source(source, env, **kwargs):
        snap = real(source, env, **kwargs)
        copy = _Traced(**{f.name: getattr(snap, f.name) for f in fields(Snapshot)})
        refs[env] = weakref.ref(copy)
        return copy

    monkeypatch.setattr(runs, "open_source", open_source)
    return refs


def test_fleet_targets_snapshots_are_gone_after_the_run(tmp_path, traced):
    config = _fleet(tmp_path)
    comparison = runs.run_comparison((), None, config_path=str(config), jobs=2,
                                     warn=lambda _text: None)
    gc.collect()
    targets = [f"shards.{n}" for n in "abcd"]
    assert sorted(traced) == sorted(["prd", "stg", *targets])
    assert all(traced[t]() is None for t in targets), "fleet snapshots must be dropped"
    # The baseline and the single env are kept whole (migrate-style readers use them).
    assert traced["prd"]() is comparison.snapshots["prd"]
    assert traced["stg"]() is comparison.snapshots["stg"]
    for t in targets:
        assert isinstance(comparison.snapshots[t], EnvSummary)
    assert list(comparison.snapshots) == ["prd", "stg", *targets]
    summary = comparison.snapshots["shards.a"]
    assert "orders" not in summary.tables and len(summary.tables) == 1
    assert summary.index_count() == 3
    # b's orders has other index names than the baseline's: its own table is kept.
    b_orders = comparison.snapshots["shards.b"].tables["orders"]
    assert "IDX_USER_CREATED" in {ix.name for ix in b_orders.indexes.values()}
    # d equals the baseline: every table is the baseline's, nothing of d's own is held.
    d = comparison.snapshots["shards.d"]
    assert all(d.tables[n] is comparison.snapshots["prd"].tables[n] for n in d.tables)


def test_runs_that_plan_migrations_keep_whole_snapshots(tmp_path, traced):
    config = _fleet(tmp_path)
    comparison = runs.run_comparison((), None, config_path=str(config), detail=True,
                                     warn=lambda _text: None)
    gc.collect()
    for n in "abcd":
        assert traced[f"shards.{n}"]() is comparison.snapshots[f"shards.{n}"]


def _reports(config: Path, out: Path) -> dict[str, bytes]:
    """compare's JSON and terminal table, check's Markdown and HTML, of one run each."""
    env = {"SOURCE_DATE_EPOCH": "1700000000", "COLUMNS": "200"}
    runner = CliRunner()
    found: dict[str, bytes] = {}
    result = runner.invoke(cli, ["compare", "--config", str(config), "--format", "json",
                                 "-o", str(out / "r.json")], env=env)
    assert result.exit_code == 1, result.output
    found["json"] = (out / "r.json").read_bytes()
    result = runner.invoke(cli, ["compare", "--config", str(config)], env=env)
    found["table"] = result.stdout_bytes
    result = runner.invoke(cli, ["check", "--config", str(config), "-o", str(out / "r.md"),
                                 "-o", str(out / "r.html"), "-o", str(out / "r.csv")], env=env)
    assert result.exit_code == 1, result.output
    for ext in ("md", "html", "csv"):
        found[ext] = (out / f"r.{ext}").read_bytes()
    return found


def test_streamed_reports_are_byte_identical_to_whole_snapshot_reports(tmp_path, monkeypatch):
    config = _fleet(tmp_path)
    (tmp_path / "streamed").mkdir()
    (tmp_path / "whole").mkdir()
    streamed = _reports(config, tmp_path / "streamed")
    # The run as it was: every target's whole snapshot kept until the reports.
    monkeypatch.setattr("indexdrift.compare.stream.summarize",
                        lambda base, snap, found, advisories=None: snap)
    whole = _reports(config, tmp_path / "whole")
    assert streamed == whole
    doc = json.loads(streamed["json"])
    assert doc["advisories"].keys() == {"shards.c"}  # linted before c's snapshot went
    assert {f["env"] for f in doc["findings"]} == {"stg", "shards.a", "shards.c"}


def _snap(name: str) -> Snapshot:
    return Snapshot(name, None)


def test_the_baseline_is_delivered_first_whatever_finishes_first():
    delivered: list[str] = []

    def read(target: Target) -> Snapshot:
        if target.env == "prd":
            time.sleep(0.2)  # the others are read meanwhile and wait for it
        return _snap(target.env)

    targets = [Target(f"t{i}", "x", "f") for i in range(6)] + [Target("prd", "x")]
    result = read_targets(targets, read, jobs=2,
                          deliver=lambda t, _s: delivered.append(t.env), first="prd")
    assert delivered[0] == "prd"
    assert sorted(delivered) == sorted(t.env for t in targets)
    assert result.snapshots == {}  # delivered, not kept


def test_snapshots_waiting_for_a_slow_baseline_are_bounded():
    lock = threading.Lock()
    baseline_done = threading.Event()
    started_before: list[str] = []

    def read(target: Target) -> Snapshot:
        if target.env == "prd":
            time.sleep(0.3)
            baseline_done.set()
        else:
            with lock:
                if not baseline_done.is_set():
                    started_before.append(target.env)
        return _snap(target.env)

    targets = [Target("prd", "x")] + [Target(f"t{i}", "x", "f") for i in range(40)]
    read_targets(targets, read, jobs=2, deliver=lambda _t, _s: None, first="prd")
    # Two workers, a window of twice that: at most 3 others start while prd is read.
    assert len(started_before) <= 3


def test_a_baseline_that_fails_leaves_the_others_undelivered():
    def read(target: Target) -> Snapshot:
        if target.env == "prd":
            raise OSError("gone")
        return _snap(target.env)

    delivered: list[str] = []
    targets = [Target("t0", "x", "f"), Target("prd", "x"), Target("t1", "x", "f")]
    result = read_targets(targets, read, jobs=2,
                          deliver=lambda t, _s: delivered.append(t.env), first="prd")
    assert delivered == []
    assert list(result.snapshots) == ["t0", "t1"] and "prd" in result.failures


def test_json_encoded_finding_by_finding_is_json_dumps_of_the_whole_dict(tmp_path):
    from indexdrift.core.i18n import Catalog
    from indexdrift.report.render.jsonout import comparison_json, render_json

    comparison = runs.run_comparison((), None, config_path=str(_fleet(tmp_path)),
                                     warn=lambda _text: None)
    comparison.findings[0].table = "é\n\"}],\n  \"findings\": [],\u2028"  # looks like JSON
    for lang in ("en", "ko"):
        whole = json.dumps(comparison_json(comparison, Catalog(lang)), ensure_ascii=False,
                           indent=2) + "\n"
        assert render_json(comparison, Catalog(lang)) == whole
    comparison.findings.clear()
    assert render_json(comparison, Catalog("en")) == json.dumps(
        comparison_json(comparison, Catalog("en")), ensure_ascii=False, indent=2) + "\n"
