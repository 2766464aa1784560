"""Local files are read one after another on the calling thread (``read_targets(...,
threads=False)``), with the results a pool gives: the same snapshots and failures in target
order, the baseline delivered first, a failed baseline delivering nothing (issue 15: a
small compare starts no thread pool)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from indexdrift.model.tables import Snapshot
from indexdrift.sources.fleet import Target, _read_in_process, read_targets


def _reads_overlap(targets: list[Target]) -> bool:
    # read_targets' default: threads only when some target waits on a server
    return not all(_read_in_process(t.source) for t in targets)


TARGETS = [Target("t0", "a.csv", "f"), Target("prd", "p.csv"), Target("t1", "b.csv", "f"),
           Target("t2", "c.csv", "f")]


def _run(threads: bool, failing: set[str], deliver: bool, progress: bool = False):
    delivered: list[str] = []
    readers: set[int] = set()

    def read(target: Target) -> Snapshot:
        readers.add(threading.get_ident())
        if target.env in failing:
            raise OSError(f"{target.source}: gone")
        return Snapshot(source=target.source, schema=None)

    result = read_targets(TARGETS, read, jobs=2, progress=progress,
                          deliver=(lambda t, _s: delivered.append(t.env)) if deliver else None,
                          first="prd", threads=threads)
    return (list(result.snapshots), result.failures, sorted(result.errors)), delivered, readers


@pytest.mark.parametrize("failing", [set(), {"t1"}, {"prd"}, {"t0", "t2"}])
@pytest.mark.parametrize("deliver", [False, True])
def test_inline_reads_give_what_the_pool_gives(failing, deliver):
    pooled, pooled_delivered, _ = _run(True, failing, deliver)
    inline, inline_delivered, readers = _run(False, failing, deliver)
    assert inline == pooled
    assert sorted(inline_delivered) == sorted(pooled_delivered)
    if deliver and "prd" not in failing:
        assert inline_delivered[0] == pooled_delivered[0] == "prd"
    assert readers == {threading.get_ident()}  # no thread started


def test_inline_reads_with_a_progress_bar():
    (snapshots, failures, _), _, _ = _run(False, set(), False, progress=True)
    assert snapshots == [t.env for t in TARGETS] and not failures


def test_only_servers_and_schema_files_are_read_in_threads(tmp_path: Path):
    schema = tmp_path / "schema.sql"
    schema.write_text("CREATE TABLE t (id int);\n")
    csv = tmp_path / "prd.csv"
    csv.write_text("x\n")
    assert not _reads_overlap([Target("prd", str(csv)), Target("dev", "missing.csv")])
    assert _reads_overlap([Target("prd", str(csv)), Target("dev", "mysql://u@h/shop")])
    assert _reads_overlap([Target("prd", str(csv)), Target("dev", str(schema))])
