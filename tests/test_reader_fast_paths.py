"""The readers' shortcuts for common values give exactly what full parsing gives."""

from __future__ import annotations

import gc
import threading

import pytest
from csvtools import BASE, stats_csv

from indexdrift.core.errors import InputError
from indexdrift.core.gcpause import gc_paused
from indexdrift.dialects.mysql.statistics_csv import read_csv

VISIBLE_HEADER = ("TABLE_SCHEMA,TABLE_NAME,NON_UNIQUE,INDEX_NAME,SEQ_IN_INDEX,COLUMN_NAME,"
                  "COLLATION,CARDINALITY,SUB_PART,INDEX_TYPE,INDEX_COMMENT")


def write(tmp_path, text: str, name: str = "indexes_prd.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_padded_and_lowercase_values_read_like_canonical_ones(tmp_path):
    canonical = read_csv(write(tmp_path, stats_csv(BASE), "indexes_a.csv"))
    padded = stats_csv(BASE).replace(",D,", ",d,").replace(",20,", ", 20 ,")
    padded = "\n".join(
        line if i == 0 else line.replace("shop,users,0,", "shop,users, 0 ,")
        for i, line in enumerate(padded.splitlines())) + "\n"
    other = read_csv(write(tmp_path, padded, "indexes_b.csv"))
    assert {t: t_.indexes for t, t_ in canonical.tables.items()} == \
        {t: t_.indexes for t, t_ in other.tables.items()}


@pytest.mark.parametrize(("flag", "visible"), [("YES", True), ("yes", True), (" Yes ", True),
                                               ("1", True), ("NO", False), ("no", False),
                                               ("false", False), ("NULL", True)])
def test_is_visible_spellings(tmp_path, flag, visible):
    header = VISIBLE_HEADER + ",IS_VISIBLE"
    text = stats_csv(BASE, header=header).splitlines()
    text = [text[0]] + [line + f",{flag}" for line in text[1:]]
    snap = read_csv(write(tmp_path, "\n".join(text) + "\n"))
    assert snap.tables["users"].indexes["uq_email"].visible is visible


@pytest.mark.parametrize(("seq", "message"), [("0", "0 is not a key part position"),
                                              ("-1", "-1 is not a key part position"),
                                              ("NULL", "a value is required here")])
def test_bad_seq_in_index_still_fails_on_its_line(tmp_path, seq, message):
    rows = list(BASE)
    rows[1] = ("users", "uq_email", 0, seq, "email", "A", None, "BTREE", "")
    with pytest.raises(InputError) as err:
        read_csv(write(tmp_path, stats_csv(rows)))
    assert (err.value.line, err.value.column) == (3, "SEQ_IN_INDEX")
    assert message in str(err.value)


def test_non_unique_other_than_0_or_1_fails(tmp_path):
    rows = list(BASE)
    rows[1] = ("users", "uq_email", 2, 1, "email", "A", None, "BTREE", "")
    with pytest.raises(InputError) as err:
        read_csv(write(tmp_path, stats_csv(rows)))
    assert (err.value.line, err.value.column) == (3, "NON_UNIQUE")


def test_gc_paused_restores_the_collector_after_nested_and_concurrent_use():
    assert gc.isenabled()
    started, release = threading.Barrier(2), threading.Event()

    def worker():
        with gc_paused():
            started.wait()
            release.wait()

    thread = threading.Thread(target=worker)
    thread.start()
    started.wait()
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other reader is still building
    release.set()
    thread.join()
    assert gc.isenabled()


def test_gc_paused_leaves_what_was_built_out_of_later_collections():
    """Once the last reader is done, what exists is frozen: the collector is on again but
    does not walk the snapshots built while it was off at every later collection."""
    gc.unfreeze()
    try:
        with gc_paused():
            built = [[n] for n in range(1000)]
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(built)
    finally:
        gc.unfreeze()


def test_gc_paused_leaves_a_disabled_collector_disabled():
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
