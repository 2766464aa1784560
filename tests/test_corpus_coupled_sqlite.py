"""The SQLite coupled-drift corpus (tests/corpus/coupled/sqlite/<NN_case>/, issue 20).

Each case is run in every layout on real files with the ``sqlite3`` shell
(corpus_sqlite.round_trip): up → no drift with ``--objects all``, the baseline's
sqlite_schema by an independent normalisation, a clean foreign_key_check and the env's rows
kept where their columns are; rollback → the env's sqlite_schema as it was.

A change SQLite's ALTER TABLE cannot make is one table rebuild, which only the plain layout
writes (a tool's migration runs in its own transaction, where PRAGMA foreign_keys cannot be
turned off): such a case in a tool layout must be refused with a pointer to
``--layout plain`` (REBUILD).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from corpus_sqlite import build, cases, migrate, round_trip

from indexdrift.ddl.layouts import LAYOUTS

pytestmark = pytest.mark.skipif(shutil.which("sqlite3") is None,
                                reason="the sqlite3 shell is not installed")

CORPUS = Path(__file__).parent / "corpus" / "coupled" / "sqlite"
ALL = cases(CORPUS)

# Cases whose change needs the table rebuild (no ALTER TABLE can make it).
REBUILD: set[str] = set()
# Cases that fail for a reason still open: name -> reason (shown as the xfail reason).
KNOWN: dict[str, str] = {}


def _params() -> list:
    return [pytest.param(case, layout, id=f"{case.name}-{layout}", marks=[
        pytest.mark.xfail(reason=KNOWN[case.name], strict=True)] if case.name in KNOWN else [])
            for case in ALL for layout in LAYOUTS]


def test_corpus_size():
    assert len(ALL) >= 60
    assert not (REBUILD | set(KNOWN)) - {c.name for c in ALL}


@pytest.mark.parametrize(("case", "layout"), _params())
def test_case(case, layout, tmp_path):
    if layout != "plain" and case.name in REBUILD:
        base = build(tmp_path / "b.db", case.sql("baseline"))
        env = build(tmp_path / "e.db", case.sql("env") + case.sql("data"))
        result = migrate(base, env, tmp_path / layout, layout)
        assert result.exit_code != 0
        assert "--layout plain" in result.output + str(result.exception)
        return
    round_trip(case, tmp_path, layout)
