"""False-drift probes (tests/corpus/same/<engine>/<NN_probe>/{a.sql,b.sql}, issue 20): the
same schema written two ways (keyword case, type synonyms, KEY / INDEX, inline and
out-of-line constraints, check and default spellings, quoting, rule synonyms...). Both are
built with the server's own client (mariadb, psql) or the sqlite3 module, and ``compare
--objects all`` must find nothing (exit 0, no finding at all).

A probe directory with a ``known.txt`` is a false drift found and not fixed yet: it runs
as a strict xfail whose reason is that file's text (it fails the run once fixed, so the
file goes then).

More probes, written inline, are in test_mariadb_objects.py, test_postgres_objects.py and
test_sqlite_objects.py (constraints); these add whole-table spellings with columns and
indexes compared too.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from corpus_run import MariaDBServer, PostgresServer

from indexdrift.cli.main import cli

ROOT = Path(__file__).parent / "corpus" / "same"
ENGINES = {"mariadb": "mariadb", "postgresql": "postgres", "sqlite": None}


def _probes() -> list:
    found = []
    for engine, mark in ENGINES.items():
        for path in sorted((ROOT / engine).glob("*/a.sql")):
            marks = [getattr(pytest.mark, mark)] if mark else []
            known = path.parent / "known.txt"
            if known.exists():
                marks.append(pytest.mark.xfail(reason=known.read_text().strip(), strict=True))
            found.append(pytest.param(engine, path.parent, id=f"{engine}/{path.parent.name}",
                                      marks=marks))
    return found


PROBES = _probes()


def test_enough_probes():
    """At least 20 per engine."""
    for engine in ENGINES:
        assert len([p for p in PROBES if p.values[0] == engine]) >= 20, engine


def _sides(engine: str, path: Path, request, tmp_path: Path) -> list[str]:
    """The URLs of the two schemas, built by the engine's own client."""
    sql = {side: (path / f"{side}.sql").read_text(encoding="utf-8") for side in "ab"}
    if engine == "sqlite":
        urls = []
        for side, text in sql.items():
            db = tmp_path / f"{side}.db"
            with sqlite3.connect(db) as conn:
                conn.executescript(text)
            conn.close()
            urls.append(f"sqlite:///{db}")
        return urls
    server = (MariaDBServer(request.getfixturevalue("mariadb")) if engine == "mariadb"
              else PostgresServer(request.getfixturevalue("postgres")))
    return [server.url(server.create(text, side, "cc")) for side, text in sql.items()]


@pytest.mark.parametrize(("engine", "path"), PROBES)
def test_no_false_drift(engine, path, request, tmp_path):
    a, b = _sides(engine, path, request, tmp_path)
    result = CliRunner().invoke(cli, ["compare", f"a={a}", f"b={b}", "--baseline", "a",
                                      "--objects", "all", "--format", "json", "--no-usage"])
    assert result.exit_code in (0, 1), result.output
    found = json.loads(result.stdout)["findings"]
    assert found == [], f"{engine}/{path.name}: false drift: {found}"
    assert result.exit_code == 0, result.output
