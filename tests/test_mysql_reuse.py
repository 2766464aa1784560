"""Indexes built once per distinct catalog rows (dialects/mysql/reuse.py): the same rows in
another env give the very same Index, anything different builds its own, and a snapshot is
the one a fresh build gives, index order included. Whole tables are one object only
through a run's TableShare."""

from __future__ import annotations

import pytest

from indexdrift.core.errors import InputError
from indexdrift.dialects.mysql import reuse
from indexdrift.dialects.mysql.catalog import _stat_row, build_snapshot
from indexdrift.dialects.mysql.statistics import StatisticsBuilder
from indexdrift.model.tables import Snapshot
from indexdrift.sources.tableshare import TableShare


def _i(table, index, seq, column, non_unique=1, sub_part=None, collation="A"):
    return ["I", table, index, non_unique, seq, column, collation, "BTREE", sub_part, "",
            "YES", None]


def _t(table):
    return ["T", table, None, None, None, None, None, None, None, None, None, None]


ROWS = [_t("a"), _t("b"), _i("a", "PRIMARY", 1, "id", 0), _i("a", "ix_x", 2, "y"),
        _i("a", "ix_x", 1, "x"), _i("b", "PRIMARY", 1, "id", 0), _i("b", "ix_z", 1, "z")]


def _build(rows, env="prd", share=None):
    snap = Snapshot(source="s", schema="shop", flavor="mariadb", version="10.11.9")
    return build_snapshot(snap, [list(r) for r in rows], env, share=share)


def _shape(snap):
    return {name: [(k, ix) for k, ix in t.indexes.items()] for name, t in snap.tables.items()}


@pytest.fixture(autouse=True)
def fresh_memo():
    reuse._kept.clear()
    reuse._tables.clear()
    yield
    reuse._kept.clear()
    reuse._tables.clear()


def test_the_same_rows_give_the_same_index_object():
    prd, stg = _build(ROWS), _build(list(reversed(ROWS)), "stg")
    assert stg.tables["a"].indexes["ix_x"] is prd.tables["a"].indexes["ix_x"]
    assert [p.column for p in prd.tables["a"].indexes["ix_x"].parts] == ["x", "y"]


def test_different_rows_build_their_own_and_order_is_kept():
    prd = _build(ROWS)
    changed = [r if r[2] != "PRIMARY" or r[1] != "a" else _i("a", "PRIMARY", 1, "id2", 0)
               for r in ROWS] + [_i("a", "ix_w", 1, "w")]
    dev = _build(changed, "dev")
    reuse._kept.clear()
    reuse._tables.clear()
    fresh = _build(changed, "dev")
    assert _shape(dev) == _shape(fresh)  # same indexes, same order, equal values
    assert list(dev.tables["a"].indexes) == ["primary", "ix_x", "ix_w"]
    assert dev.tables["a"].indexes["primary"] is not prd.tables["a"].indexes["primary"]
    assert dev.tables["a"].indexes["ix_x"] is prd.tables["a"].indexes["ix_x"]


def test_rows_that_fail_are_never_kept():
    bad = ROWS + [_i("b", "ix_bad", 2, "q")]  # no key part 1
    for _ in range(2):
        with pytest.raises(InputError, match="no key part at position 1"):
            _build(bad)


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(reuse, "MAX_KEPT", 3)
    _build(ROWS)
    assert len(reuse._kept) <= 3


def test_a_whole_table_seen_before_is_the_same_table_when_indexes_alone_are_read():
    share = TableShare()
    prd, stg = _build(ROWS, share=share), _build(ROWS, "stg", share)
    assert all(stg.tables[name] is prd.tables[name] for name in ("a", "b"))
    assert share.hits == 2 and len(share) == 2
    # Ignore rules replace a table with a copy: the other env keeps its indexes.
    from indexdrift.compare.ignore import apply_ignore
    from indexdrift.sources.config import IgnoreRules

    assert apply_ignore(stg, IgnoreRules(indexes=("ix_x",))) == 1
    assert "ix_x" not in stg.tables["a"].indexes and "ix_x" in prd.tables["a"].indexes
    assert list(_build(ROWS, "dev", share).tables["a"].indexes) == ["primary", "ix_x"]


def test_without_a_share_or_in_another_run_a_table_is_its_own():
    share = TableShare()
    prd = _build(ROWS, share=share)
    alone = _build(ROWS, "stg")  # no share: the same indexes, a table of its own
    later = _build(ROWS, "stg", TableShare())  # the next run's share
    for snap in (alone, later):
        for name in ("a", "b"):
            assert snap.tables[name] is not prd.tables[name]
            assert snap.tables[name].indexes is not prd.tables[name].indexes
            assert all(snap.tables[name].indexes[k] is ix
                       for k, ix in prd.tables[name].indexes.items())
    assert share.hits == 0
    # Built from the kept pairs, the next run's first env offers its tables to the run.
    next_run = TableShare()
    dev, qa = _build(ROWS, "dev", next_run), _build(ROWS, "qa", next_run)
    assert dev.tables["a"] is not prd.tables["a"] and qa.tables["a"] is dev.tables["a"]
    assert len(next_run) == 2 and next_run.hits == 2


def test_a_share_and_the_csv_readers_keys_never_meet():
    share = TableShare()
    prd = _build(ROWS, share=share)
    assert {key[0] for key in share._tables} == {reuse.SHARE_TAG}
    assert all(key[1][0] in prd.tables for key in share._tables)  # (table, *rows)


def test_a_run_keeps_at_most_max_tables_of_them(monkeypatch):
    monkeypatch.setattr(reuse, "MAX_TABLES", 3)
    share = TableShare()
    prd = _build(ROWS, share=share)  # a, b
    others = [[[*r[:1], f"{r[1]}{n}", *r[2:]] for r in ROWS] for n in range(3)]
    for n, rows in enumerate(others):
        _build(rows, f"t{n}", share)
    assert len(share) == 3  # the first three: a, b (prd's) and a0
    stg = _build(ROWS, "stg", share)  # the baseline's tables are still shared
    assert all(stg.tables[name] is prd.tables[name] for name in ("a", "b"))
    last = _build(others[2], "t9", share)  # not kept: built again, the same indexes
    assert _shape(last) == _shape(_build(others[2], "t10"))


def test_a_failed_read_shares_nothing():
    share = TableShare()
    with pytest.raises(InputError):
        _build(ROWS + [_i("b", "ix_bad", 2, "q")], share=share)
    assert len(share) == 0


def test_a_table_with_more_than_indexes_gets_them_in_a_dict_of_its_own():
    def detailed(rows, env, share=None):
        snap = Snapshot(source="s", schema="shop", flavor="mariadb", version="10.11.9",
                        has_details=True)
        return build_snapshot(snap, [list(r) for r in rows], env, share=share)

    for first in (_build, detailed):
        reuse._kept.clear()
        reuse._tables.clear()
        share = TableShare()
        prd, stg = first(ROWS, "prd", share), detailed(ROWS, "stg", share)
        for name in ("a", "b"):
            mine, theirs = stg.tables[name], prd.tables[name]
            assert mine is not theirs and mine.indexes is not theirs.indexes
            assert list(mine.indexes) == list(theirs.indexes)
            assert all(mine.indexes[k] is ix for k, ix in theirs.indexes.items())
    # A detailed read's tables are never handed out whole (they carry more).
    reuse._kept.clear()
    reuse._tables.clear()
    share = TableShare()
    prd = detailed(ROWS, "prd", share)
    assert len(share) == 0
    assert _build(ROWS, "stg", share).tables["a"] is not prd.tables["a"]


def test_a_table_in_another_row_order_is_built_in_its_own_order():
    # The server's row order is the table's index order: other rows, other order.
    rows = [_t("a"), _i("a", "ix_x", 1, "x"), _i("a", "ix_x", 2, "y"),
            _i("a", "PRIMARY", 1, "id", 0)]
    prd = _build(ROWS)
    stg = _build(rows, "stg")
    assert list(prd.tables["a"].indexes) == ["primary", "ix_x"]
    assert list(stg.tables["a"].indexes) == ["ix_x", "primary"]
    assert stg.tables["a"].indexes["ix_x"] is prd.tables["a"].indexes["ix_x"]
    reuse._kept.clear()
    reuse._tables.clear()
    assert _shape(_build(rows, "stg")) == _shape(stg)


def test_the_table_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(reuse, "MAX_TABLES", 1)
    _build(ROWS)  # two tables: more than the memo holds, none kept
    assert not reuse._tables
    assert _shape(_build(ROWS, "stg")) == _shape(_build(ROWS, "dev"))


def _builder_only(rows, env="prd"):
    # Every index through StatisticsBuilder, as the reader built them before reuse.
    snap = Snapshot(source="s", schema="shop", flavor="mariadb", version="10.11.9")
    builder = StatisticsBuilder(snap, f"env {env}")
    for row in rows:
        if row[0] == "T":
            builder.add_table(row[1])
        else:
            builder.add(_stat_row(tuple(row)))
    return builder.build()


EDGE = [
    _t("g"), _t("e"),
    ["I", "g", "sp", 1, 1, "pt", "A", "SPATIAL", 32, "", "YES", None],  # SUB_PART noise
    ["I", "g", "primary", "0", "1", "id", None, "BTREE", None, None, "YES", None],
    ["I", "g", "Ft", 1, 1, "body", None, "FULLTEXT", None, "c'o\nmment", "NO", None],
    ["I", "g", "ix_d", 1, 2, "b", "D", "BTREE", "10", "", "YES", None],
    ["I", "g", "ix_d", 1, 1, "a", "A", "HASH", None, "", "YES", None],
    ["I", "e", "fx", 0, 1, None, "A", "BTREE", None, "", "YES", "(`a` + 1)"],
    ["I", "e", "fx", 0, 2, "z", "d", "BTREE", None, "", "YES", None],
    ["I", "e", "İx", 1, 1, "q", "A", "BTREE", None, "", "YES", None],
]


def test_indexes_built_from_rows_are_the_builders():
    fast = _build(EDGE)
    assert _shape(fast) == _shape(_builder_only(EDGE))
    assert list(fast.tables["g"].indexes) == ["sp", "primary", "ft", "ix_d"]
    assert fast.tables["g"].indexes["primary"].name == "PRIMARY"


@pytest.mark.parametrize("bad", [
    ["I", "e", "fx", 0, 4, "w", "A", "BTREE", None, "", "YES", None],  # a gap
    ["I", "e", "fx", 0, 2, "w", "A", "BTREE", None, "", "YES", None],  # twice
    ["I", "e", "fx", 1, 2, "w", "A", "BTREE", None, "", "YES", None],  # NON_UNIQUE
    ["I", "e", "nn", 1, 1, None, "A", "BTREE", None, "", "YES", None],  # no column
])
def test_rows_that_are_no_index_fail_as_the_builder_fails(bad):
    rows = [*EDGE, bad]
    with pytest.raises(InputError) as builders:
        _builder_only(rows)
    for _ in range(2):  # and nothing of the failed read is kept
        with pytest.raises(InputError) as mine:
            _build(rows)
        assert str(mine.value) == str(builders.value)
