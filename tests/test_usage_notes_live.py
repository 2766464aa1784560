"""Usage evidence says something (issue 17, item 8), on the real servers: an env without
counters (MariaDB, userstat off) is said once in the summary and once as a warning, not on
every note; counts go on the notes of extra indexes only, never on rebuilds and renames."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli
from indexdrift.core.i18n import Catalog

PRD = ("CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, c INT);"
       "CREATE INDEX ia ON t (a); CREATE INDEX ib ON t (b)")
# dev: ia rebuilt (other columns), ib renamed to ib2, ix only in dev
DEV = ("CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, c INT);"
       "CREATE INDEX ia ON t (a, b); CREATE INDEX ib2 ON t (b); CREATE INDEX ix ON t (c)")

OFF = {"en": "usage unknown in prd, stg, dev: userstat is off (enable it with SET GLOBAL "
             "userstat=1, or userstat=1 in my.cnf)",
       "ko": "prd, stg, dev 사용량 알 수 없음: userstat이 꺼져 있음(SET GLOBAL userstat=1 또는 "
             "my.cnf에 userstat=1로 켜기)"}
WARNING = {"en": "warning: ", "ko": "경고: "}


@pytest.fixture
def userstat_off(mariadb):
    """userstat off for the test, under the lock test_usage_mariadb.py takes to change it
    (server-wide; the previous value is restored)."""
    [(got,)] = mariadb.query("SELECT GET_LOCK('indexdrift_test_userstat', 300)")
    assert got == 1, "another test run held the userstat lock for 5 minutes"
    [(before,)] = mariadb.query("SELECT @@GLOBAL.userstat")
    try:
        if mariadb.query("SELECT @@GLOBAL.performance_schema")[0][0]:
            pytest.skip("this server has performance_schema on: usage comes from there")
        mariadb.query("SET GLOBAL userstat = OFF")
        yield mariadb
    finally:
        mariadb.query(f"SET GLOBAL userstat = {int(before)}")
        mariadb.query("SELECT RELEASE_LOCK('indexdrift_test_userstat')")


def _invoke(args: list[str]):
    return CliRunner().invoke(cli, args)


@pytest.mark.mariadb
@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("fmt", ["table", "md", "html", "csv"])
def test_userstat_off_is_said_once_per_run_not_on_every_note(userstat_off, lang, fmt):
    mariadb = userstat_off
    prd, stg, dev = (mariadb.create_db(f"ko17{e}") for e in ("prd", "stg", "dev"))
    mariadb.run(prd, PRD)
    mariadb.run(stg, PRD)
    mariadb.run(dev, DEV)
    result = _invoke(["compare", f"prd={mariadb.url(prd)}", f"stg={mariadb.url(stg)}",
                      f"dev={mariadb.url(dev)}", "--lang", lang, "--format", fmt])
    assert result.exit_code == 1, result.output
    # one warning for the three envs
    assert result.stderr.splitlines() == [WARNING[lang] + OFF[lang]]
    out = result.stdout
    if fmt == "csv":  # no summary in CSV: the notes say nothing about it either
        assert "userstat" not in out
        return
    # the report's own part; each env's migration script further down says it in its
    # header, as migrate writes it
    head = out.split(Catalog(lang).t("heading.statements"))[0]
    assert head.count("userstat is off" if lang == "en" else "userstat이 꺼져") == 1
    if fmt == "table":
        assert OFF[lang] in out


@pytest.mark.postgres
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_postgres_counts_go_on_extra_notes_only(postgres, lang):
    prd, dev = postgres.create_db("ko17prd"), postgres.create_db("ko17dev")
    postgres.run(prd, PRD)
    postgres.run(dev, DEV)
    result = _invoke(["compare", f"prd={postgres.url(prd)}", f"dev={postgres.url(dev)}",
                      "--lang", lang, "--format", "csv", "--csv-layout", "matrix"])
    assert result.exit_code == 1, result.output
    assert result.stderr == ""
    rows = {line.split(",")[0]: line for line in result.stdout.splitlines()[1:]}
    scans = "index scans" if lang == "en" else "인덱스 스캔"
    assert scans in rows["ix"]  # an extra index: its use decides the drop
    assert scans not in rows["ia"] and scans not in rows["ib"]  # rebuild, rename
    began = "since statistics began" if lang == "en" else "통계 수집 시작 이후"
    assert result.stdout.count(began) == rows["ix"].count(began) >= 1
