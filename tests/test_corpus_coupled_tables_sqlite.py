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
REBUILD: set[str] = {"12_missing_table_and_existing_gets_fk_to_it"}
# Strict xfails, findings of this corpus (see the report of issue 20): a whole table is
# written from the model's DDL (its foreign keys at table level, types lower-cased), not
# the stored sqlite_schema text the rebuild writes back; the same texts, compared after
# corpus_sqlite.normalise, differ where a key was written inline.
_CREATE = "a missing table is created from the model's DDL, not the baseline's stored text"
_RESTORE = "an extra table's rollback re-creates it from the model, not the env's own text"
KNOWN: dict[str, str] = {
    "01_missing_child_of_existing": _CREATE,
    "02_extra_child_of_existing": _RESTORE,
    "04_extra_parent_and_child": _RESTORE,
    "05_missing_parent_and_child": _CREATE,
    "06_missing_self_referencing_table": _CREATE,
    "07_extra_self_referencing_table": _RESTORE,
    "08_missing_mutual_pair": _CREATE,
    "09_extra_mutual_pair": _RESTORE,
    "10_missing_table_strict_without_rowid": _CREATE,
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
        env = build(tmp_path / "e.db", case.sql("env") + case.sql("data"))
        result = migrate(base, env, tmp_path / layout, layout)
        assert result.exit_code != 0
        assert "--layout plain" in result.output + str(result.exception)
        return
    round_trip(case, tmp_path, layout)
