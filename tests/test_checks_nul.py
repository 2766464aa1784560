"""The NUL check's fast path (texts joined in C) agrees with the detailed walk."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexdrift.core.errors import IndexDriftError
from indexdrift.evidence import UsageReport
from indexdrift.model.tables import ForeignKey, Index, KeyPart, Snapshot
from indexdrift.sources import checks
from indexdrift.sources.checks import check_snapshot

_TEXT = st.text(alphabet=st.sampled_from(["a", "\0", "é", "\\", "x"]), max_size=4)
_SCALAR = st.none() | st.booleans() | st.integers() | st.floats() | _TEXT
_KEY = _TEXT | st.integers() | st.tuples(_TEXT, _TEXT) | st.tuples(_TEXT, st.integers())


def _parts(draw_text):
    return st.builds(KeyPart, draw_text, expression=st.none() | draw_text,
                     opclass=st.none() | draw_text)


_VALUE = st.recursive(_SCALAR | _parts(_TEXT) | st.frozensets(_TEXT, max_size=3), lambda inner: (
    st.lists(inner, max_size=5) | st.lists(inner, max_size=5).map(tuple)
    | st.dictionaries(_KEY, inner, max_size=5)
    | st.builds(UsageReport, _TEXT, _TEXT,
                counts=st.dictionaries(st.tuples(_TEXT, _TEXT), st.integers(), max_size=5),
                last_used=st.dictionaries(st.tuples(_TEXT, _TEXT), _TEXT, max_size=5))),
    max_leaves=30)


@settings(max_examples=500, deadline=None)
@given(_VALUE)
def test_fast_nul_test_is_the_walk_s(value):
    assert checks._nul_in(value) == ("\0" in "".join(checks._texts(value)))


def _snapshot(usage: UsageReport | None) -> Snapshot:
    snap = Snapshot(source="snap", schema="shop", flavor="postgresql", version="15")
    for n in range(3):
        table = snap.table(f"t{n}")
        table.add(Index(f"t{n}", "ix_a", (KeyPart("a"),), predicate="(a IS NOT NULL)",
                        include=("b",), storage=(("fillfactor", "70"),)))
        table.foreign_keys = (ForeignKey(f"t{n}", "fk_x", ("x",)),)
    snap.usage = usage
    return snap


def _usage(**changes) -> UsageReport:
    counts = {(f"t{n}", "ix_a"): n for n in range(3)}
    last_used = {(f"t{n}", "ix_a"): "2026-12-01" for n in range(3)}
    return dataclasses.replace(UsageReport("prd", "pg_stat_user_indexes", counts=counts,
                                           last_used=last_used), **changes)


@pytest.mark.parametrize("usage", [
    None,
    _usage(),
    _usage(counts={("t0", "ix\0"): 1}),
    _usage(counts={("t0\0", "ix_a"): 1, ("t1", "ix_a"): 2}),
    _usage(last_used={("t0", "ix_a"): "2026\0"}),
    _usage(counts={("t0", 7): 1}),  # not (str, str): item by item
    _usage(source="pg\0"),
    _usage(unavailable="gone\0"),
])
def test_fast_path_and_detailed_walk_agree(usage):
    snap = _snapshot(usage)
    tables, indexes, parts = checks._objects(snap)
    found = checks._has_nul(snap, tables, indexes, parts)
    holder = checks._nul_holder(snap)
    assert found == (holder is not None)
    if found:
        assert holder == "the snapshot's usage"
        with pytest.raises(IndexDriftError,
                           match="env prd: snap: the snapshot's usage contains a NUL byte"):
            check_snapshot(snap, "prd")
    else:
        assert check_snapshot(snap, "prd") is snap
