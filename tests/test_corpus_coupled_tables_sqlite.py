"""The SQLite corpus of whole tables missing or extra, with foreign keys to and from the
tables both sides have (tests/corpus/coupled_tables/sqlite/<NN_case>/, issue 20): the
same round trip as the coupled corpus (corpus_sqlite.round_trip) in every layout. A case
that also rebuilds a kept table is refused by a tool layout (REBUILD)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from corpus_sqlite import build, cases, migrate, round_trip

from indexdrift.ddl.layouts import LAYOUTS

pytestmark = pytest.mark.skipif(shutil.which("sqlite3") is None,
                                reason="the sqlite3 shell is not installed")

CORPUS = Path(__file__).parent / "corpus" / "coupled_tables" / "sqlite"
ALL = cases(CORPUS)
REBUILD: set[str] = {"12_missing_table_and_existing_gets_fk_to_it",
                     "13_extra_parent_referenced_by_kept_table",
                     "14_parent_renamed_child_rebuilt"}
# Strict xfails, findings of this corpus still open (see the report of issue 20). (Fixed:
# a created table is the baseline's stored text and an extra table's rollback the env's
# own; the model's DDL before, keys at table level, so the texts differed.)
KNOWN: dict[str, str] = {
    "15_missing_table_with_trigger_and_view": "triggers and views are not compared nor "
    "created: a missing table is created without the baseline's trigger on it and view of it",
}


def test_corpus_size():
    assert len(ALL) >= 10
    assert not (REBUILD | set(KNOWN)) - {c.name for c in ALL}


@pytest.mark.parametrize(("case", "layout"), [
    pytest.param(case, layout, id=f"{case.name}-{layout}", marks=[
        pytest.mark.xfail(reason=KNOWN[case.name], strict=True)]
        if case.name in KNOWN and (layout == "plain" or case.name not in REBUILD) else [])
    for case in ALL for layout in LAYOUTS])
def test_case(case, layout, tmp_path):
    if layout != "plain" and case.name in REBUILD:
        base = build(tmp_path / "b.db", case.sql("baseline"))
        env = build(tmp_path / "e.db", case.sql("env") + case.sql("rows"))
        result = migrate(base, env, tmp_path / layout, layout)
        assert result.exit_code != 0
        assert "--layout plain" in result.output + str(result.exception)
        return
    round_trip(case, tmp_path, layout)
