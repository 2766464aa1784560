"""``migrate --lang ko`` on the real MariaDB: every human-readable comment line of the
generated scripts (header, notes, warnings, held-back reasons, pre-check explanations,
staged-drop procedure) is Korean, SQL and tool directives are unchanged, the scripts apply
and converge, and English stays the default."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from liquibase_sql import liquibase_parts
from test_columns_mariadb import DEV as COLUMNS_DEV
from test_columns_mariadb import PRD as COLUMNS_PRD
from test_migrate_explain import column_findings
from test_migrate_mariadb import DEV, PRD, apply_sql, layout_scripts

from indexdrift.cli.main import cli
from indexdrift.core.i18n import Catalog
from indexdrift.ddl.layouts import LAYOUTS

pytestmark = pytest.mark.mariadb

HANGUL = re.compile(r"[\uac00-\ud7a3]")
# Comment lines that are SQL or a command, not prose: held-back (commented-out) statements
# and their continuation clauses, pre-check queries, online schema change tool commands.
SQL_LINE = re.compile(r"^\s*(ALTER|SELECT|CREATE|DROP|ADD|MODIFY|CHANGE|RENAME|ALGORITHM|SET|"
                      r"pt-online-schema-change|gh-ost)\b")
# Liquibase formatted-SQL directives: the tool reads these, they stay as they are.
# The --comment: line is the changeset's prose: it is said in the script's language.
DIRECTIVE = re.compile(r"^--(liquibase formatted sql|changeset |rollback |"
                       r"preconditions |precondition-sql-check )")


def prose_lines(text: str) -> list[str]:
    """The comment lines of a script a person reads (not SQL, not directives)."""
    out = []
    for line in text.splitlines():
        if not line.startswith("--") or DIRECTIVE.match(line):
            continue
        body = line[2:].strip()
        if body and not SQL_LINE.match(body):
            out.append(body)
    return out


def english_only(text: str) -> list[str]:
    """Prose comment lines without a Korean word."""
    return [line for line in prose_lines(text) if not HANGUL.search(line)]


def _setup(mariadb) -> tuple[str, str]:
    prd, dev = mariadb.create_db("prd"), mariadb.create_db("dev")
    mariadb.run(prd, PRD + COLUMNS_PRD)
    mariadb.run(dev, DEV + COLUMNS_DEV)
    return prd, dev


def _migrate(mariadb, prd: str, dev: str, *args: str, env: dict | None = None):
    result = CliRunner(env=env).invoke(cli, [
        "migrate", f"prd={mariadb.url(prd)}", f"dev={mariadb.url(dev)}", "--objects",
        "indexes,columns", "--version", "7", "--no-usage", *args])
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("layout", LAYOUTS)
def test_korean_migration_applies_converges_and_reads_korean(mariadb, tmp_path, layout):
    prd, dev = _setup(mariadb)
    original = column_findings(mariadb, prd, dev)
    _migrate(mariadb, prd, dev, "--out", str(tmp_path), "--layout", layout, "--drop-extra",
             "--lang", "ko")
    files = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.rglob("*.sql")}
    joined = "\n".join(files.values())
    assert "-- indexdrift 마이그레이션 (환경 dev)" in joined
    assert "-- indexdrift 롤백 (환경 dev)" in joined or layout == "liquibase"
    assert "-- 기준 환경: prd; 소스: " in joined
    assert "-- indexdrift " in joined and "적용 전에 검토하세요" in joined
    assert re.search(r"-- 경고: 컬럼 \S+(과|와) 그 모든 데이터를 삭제합니다", joined)
    assert re.search(r"-- 사전 확인 (PRIMARY KEY|UNIQUE \S+) \(결과가 없어야 합니다", joined)
    for name, text in files.items():
        assert english_only(text) == [], name
    if layout == "liquibase":
        # directives are untouched and still split into update and rollback SQL
        text = next(iter(files.values()))
        assert text.startswith("--liquibase formatted sql\n")
        assert re.search(r"^--changeset indexdrift:7-dev-\w+", text, re.M)
        assert re.search(r"^--comment: \S+의 인덱스 변경$", text, re.M)
        assert "index changes on" not in text
        lb_up, lb_down = liquibase_parts(text)
        assert "ALTER TABLE `TM_LEAVE_CRT`" in lb_up and "ALTER TABLE `TM_LEAVE_CRT`" in lb_down
    up, down = layout_scripts(tmp_path, layout, "dev")
    assert up.strip() and down.strip()
    apply_sql(dev, up)
    assert column_findings(mariadb, prd, dev) == set()
    apply_sql(dev, down)
    assert column_findings(mariadb, prd, dev) == original


def test_held_back_reasons_large_tables_and_staged_drops_in_korean(mariadb):
    prd, dev = _setup(mariadb)
    # without --drop-extra: extra indexes and columns are held back with the reason
    held = _migrate(mariadb, prd, dev, "--stdout", "--lang", "ko").stdout
    assert re.search(r"^-- 초과 \S+: 이 환경에만 있음; 기본적으로 삭제하지 않습니다", held,
                     re.M)
    assert re.search(r"^-- 컬럼 \S+(은|는) 이 환경에만 있음: 유지합니다", held, re.M)
    assert "보류된 변경" in held
    # a large table: the tools' advice, and a statement that would block writes commented
    large = _migrate(mariadb, prd, dev, "--stdout", "--lang", "ko", "--large-table",
                     "1").stdout
    assert "-- 대용량 테이블 (" in large
    assert re.search(r"^--   (pt-online-schema-change|gh-ost) ", large, re.M)
    # a staged drop: the procedure in both steps
    staged = _migrate(mariadb, prd, dev, "--stdout", "--lang", "ko", "--staged-drop",
                      "--drop-extra").stdout
    assert "-- 단계적 삭제 1/2단계: 인덱스 " in staged
    assert "-- 단계적 삭제 2/2단계: " in staged
    for text in (held, large, staged):
        assert english_only(text) == []
    rollback = _migrate(mariadb, prd, dev, "--stdout", "--lang", "ko", "--rollback").stdout
    assert english_only(rollback) == [] and "-- indexdrift 롤백 (환경 dev)" in rollback


def test_english_stays_the_default(mariadb):
    prd, dev = _setup(mariadb)
    plain = _migrate(mariadb, prd, dev, "--stdout").stdout
    # not even a Korean locale changes the script's language without --lang
    assert _migrate(mariadb, prd, dev, "--stdout", env={"LANG": "ko_KR.UTF-8"}).stdout == plain
    english = _migrate(mariadb, prd, dev, "--stdout", "--lang", "en").stdout
    assert [line for line in english.splitlines() if "generated by" not in line] == \
        [line for line in plain.splitlines() if "generated by" not in line]
    assert plain.startswith("-- indexdrift migration for env dev\n-- target: mariadb")
    assert "-- column " in plain and "only in this env: kept" in plain
    # Korean names and comments of the schema itself (the risk and why lines quote them)
    assert not any(HANGUL.search(line) for line in prose_lines(plain)
                   if "마감여부" not in line and "회원명" not in line)


def test_every_migrate_key_exists_in_both_catalogs():
    en, ko = Catalog("en"), Catalog("ko")
    keys = {k for k in en._texts if k.startswith("migrate.")}
    assert keys and keys == {k for k in ko._texts if k.startswith("migrate.")}
