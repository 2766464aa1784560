"""Errors, warnings and times in the run's language (issue 17, item 6): every message
changed here asserted in English and Korean."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from indexdrift.cli.check import verdict
from indexdrift.cli.language import run_catalog
from indexdrift.cli.main import main
from indexdrift.core.clock import format_moment, parse_zone
from indexdrift.core.errors import IndexDriftError, InputError, SourceError
from indexdrift.core.i18n import Catalog, Message

ROOT = Path(__file__).parent.parent
PRD, DEV = "examples/indexes_prd.csv", "examples/indexes_dev.csv"
NEW_YEAR = datetime(2026, 1, 1, tzinfo=UTC)


def _run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """``indexdrift ARGS`` through main() (the one-line error handling), in the repo."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(sys, "argv", ["indexdrift", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


@pytest.mark.parametrize("zone,text", [
    ("Asia/Seoul", "2026-01-01 09:00 +09:00 KST"),
    ("UTC", "2026-01-01 00:00 +00:00 UTC"),
    ("+05:30", "2026-01-01 05:30 +05:30"),
    ("-0800", "2025-12-31 16:00 -08:00"),
    ("America/New_York", "2025-12-31 19:00 -05:00 EST"),
])
def test_moments_in_a_zone_with_offset_and_abbreviation(zone, text):
    assert format_moment(NEW_YEAR, parse_zone(zone)) == text


def test_the_default_zone_is_the_machines():
    env = dict(os.environ, TZ="Asia/Seoul", SOURCE_DATE_EPOCH="1767225600",
               PYTHONPATH=str(ROOT / "src"))
    result = subprocess.run([sys.executable, "-m", "indexdrift", "compare", PRD, DEV,
                             "--format", "md", "--lang", "en"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stderr
    assert "Generated 2026-01-01 09:00 +09:00 KST." in result.stdout


@pytest.mark.parametrize("lang,line", [
    ("en", "error: --tz Mars/Base: not a time zone; give a name such as Asia/Seoul or UTC, "
           "or an offset such as +09:00\n"),
    ("ko", "오류: --tz Mars/Base: 시간대가 아닙니다. Asia/Seoul, UTC 같은 이름이나 +09:00 같은 "
           "오프셋을 주세요\n"),
])
def test_a_bad_zone_is_one_line_in_the_run_language(monkeypatch, capsys, lang, line):
    code, out, err = _run(monkeypatch, capsys, "compare", PRD, DEV, "--lang", lang,
                          "--tz", "Mars/Base")
    assert (code, out, err) == (2, "", line)


@pytest.mark.parametrize("lang,line", [
    ("en", "error: nothere.csv: no such file\n"),
    ("ko", "오류: nothere.csv: 파일이 없습니다\n"),
])
def test_a_missing_file_in_the_run_language(monkeypatch, capsys, lang, line):
    code, _, err = _run(monkeypatch, capsys, "compare", PRD, "nothere.csv", f"--lang={lang}")
    assert (code, err) == (2, line)


@pytest.mark.parametrize("lang,start", [
    ("en", "error: env prd: cannot connect to mysql://root@127.0.0.1:1/x: "),
    ("ko", "오류: 환경 prd: mysql://root@127.0.0.1:1/x에 연결할 수 없습니다: "),
])
def test_a_failed_connection_in_the_run_language(monkeypatch, capsys, lang, start):
    code, _, err = _run(monkeypatch, capsys, "compare", "prd=mysql://root@127.0.0.1:1/x",
                        f"dev={DEV}", "--lang", lang)
    assert code == 2 and err.startswith(start) and err.count("\n") == 1


def test_without_lang_the_locale_decides(monkeypatch, capsys):
    monkeypatch.setenv("LC_ALL", "ko_KR.UTF-8")
    code, _, err = _run(monkeypatch, capsys, "compare", PRD, "nothere.csv")
    assert (code, err) == (2, "오류: nothere.csv: 파일이 없습니다\n")
    assert run_catalog(["compare", "--lang", "en"]).lang == "en"
    assert run_catalog(["compare", "--lang", "xx"]).lang == "ko"


def test_error_wrappers_keep_english_and_say_korean():
    ko = Catalog("ko")
    missing = InputError("a.csv", Message("error.no_such_file"), line=3, column="NAME")
    assert str(missing) == "a.csv:3: column NAME: no such file"
    assert missing.said_in(ko) == "a.csv:3: 컬럼 NAME: 파일이 없습니다"
    source = SourceError("dev", Message("error.cannot_connect", url="mysql://h/x",
                                        message="refused", hint=""))
    assert str(source) == "env dev: cannot connect to mysql://h/x: refused"
    assert source.said_in(ko) == "환경 dev: mysql://h/x에 연결할 수 없습니다: refused"
    plain = IndexDriftError("said in English only")
    assert plain.said_in(ko) == "said in English only"
    # a hostile value still cannot start a line of its own, in either language
    hostile = SourceError("dev\nerror: forged", Message("error.no_such_file"))
    assert "\n" not in str(hostile) and "\n" not in hostile.said_in(ko)


@pytest.mark.parametrize("lang,texts", [
    ("en", ["check: DRIFT — 2 finding(s) not waived, 1 waived", "check: OK — no drift",
            "check: OK — no drift (3 waived)",
            "check: INCOMPLETE — fleet(s) edge short of their target count; 1 target(s) "
            "could not be read; 0 finding(s) not waived among the rest, 0 waived"]),
    ("ko", ["check: 드리프트 — 예외 승인되지 않은 발견 2건, 예외 승인 1건",
            "check: 정상 — 드리프트 없음", "check: 정상 — 드리프트 없음 (예외 승인 3건)",
            "check: 불완전 — 플릿 edge의 대상 수 부족; 대상 1개를 읽지 못함; 나머지에서 예외 "
            "승인되지 않은 발견 0건, 예외 승인 0건"]),
])
def test_check_verdicts(lang, texts):
    catalog = Catalog(lang)
    assert [verdict(1, 2, 1, 0, catalog=catalog), verdict(0, 0, 0, 0, catalog=catalog),
            verdict(0, 0, 3, 0, catalog=catalog),
            verdict(2, 0, 0, 2, ("edge",), catalog=catalog)] == texts


def test_zone_names_resolve():
    assert parse_zone("Asia/Seoul") == ZoneInfo("Asia/Seoul")
    with pytest.raises(IndexDriftError, match="less than 24 hours"):
        parse_zone("+25:00")


@pytest.mark.parametrize("lang,lines", [
    ("en", ["error: --env qa: not one of dev\n",
            "error: --usage-from qa: no such environment (have: prd, dev)\n",
            "Error: give --out DIR or --stdout"]),
    ("ko", ["오류: --env qa: dev 중 하나가 아닙니다\n",
            "오류: --usage-from qa: 그런 환경이 없습니다(있는 환경: prd, dev)\n",
            "Error: --out DIR 또는 --stdout을 주세요"]),
])
def test_option_mistakes_in_the_run_language(monkeypatch, capsys, lang, lines):
    code, _, err = _run(monkeypatch, capsys, "migrate", PRD, DEV, "--lang", lang, "--stdout",
                        "--env", "qa")
    assert (code, err) == (2, lines[0])
    code, _, err = _run(monkeypatch, capsys, "compare", PRD, DEV, "--lang", lang,
                        "--usage-from", "qa")
    assert (code, err) == (2, lines[1])
    code, _, err = _run(monkeypatch, capsys, "migrate", PRD, DEV, "--lang", lang)
    assert code == 2 and lines[2] in err


def test_a_last_used_time_is_shown_in_the_report_zone():
    from indexdrift.core.clock import use_zone
    from indexdrift.evidence.text import moment_text

    use_zone(parse_zone("Asia/Seoul"))
    try:
        assert moment_text("2026-01-01T00:00:00+00:00") == "2026-01-01 09:00 +09:00 KST"
        assert moment_text("not a time") == "not a time"
    finally:
        use_zone(None)


HEADER = "TABLE_SCHEMA,TABLE_NAME,NON_UNIQUE,INDEX_NAME,SEQ_IN_INDEX,COLUMN_NAME,COLLATION," \
         "SUB_PART,INDEX_TYPE\n"


@pytest.mark.parametrize("lang,lines", [
    ("en", ["{f}:2: column NON_UNIQUE: 2 is not 0 or 1",
            "{f}:2: column SUB_PART: 'x' is not a whole number",
            "{f}:1: the file is empty (no header row)",
            "{f}:1: column COLLATION: missing required column(s) COLLATION, INDEX_TYPE, "
            "SUB_PART (header: TABLE_SCHEMA, TABLE_NAME, NON_UNIQUE, INDEX_NAME, "
            "SEQ_IN_INDEX, COLUMN_NAME)"]),
    ("ko", ["{f}:2: 컬럼 NON_UNIQUE: 2는 0이나 1이 아닙니다",
            "{f}:2: 컬럼 SUB_PART: 'x'는 정수가 아닙니다",
            "{f}:1: 파일이 비어 있습니다(헤더 행 없음)",
            "{f}:1: 컬럼 COLLATION: 필수 컬럼 COLLATION, INDEX_TYPE, SUB_PART가 없습니다(헤더: "
            "TABLE_SCHEMA, TABLE_NAME, NON_UNIQUE, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME)"]),
])
def test_statistics_csv_mistakes_in_the_run_language(monkeypatch, capsys, tmp_path, lang,
                                                     lines):
    files = [HEADER + "s,t,2,i,1,a,A,,BTREE\n", HEADER + "s,t,0,i,1,a,A,x,BTREE\n", "\n",
             "TABLE_SCHEMA,TABLE_NAME,NON_UNIQUE,INDEX_NAME,SEQ_IN_INDEX,COLUMN_NAME\n"]
    prefix = {"en": "error: ", "ko": "오류: "}[lang]
    for number, (text, line) in enumerate(zip(files, lines, strict=True)):
        path = tmp_path / f"bad{number}.csv"
        path.write_text(text, encoding="utf-8")
        code, _, err = _run(monkeypatch, capsys, "compare", PRD, f"dev={path}", "--lang", lang)
        assert (code, err) == (2, prefix + line.format(f=path) + "\n")


@pytest.mark.parametrize("lang,lines", [
    ("en", ["error: unknown target 'mysq:8'; use one of mysql, mariadb, postgresql, sqlite "
            "with an optional :VERSION (e.g. mariadb:10.11)\n",
            "error: --target qa=mysql:8.0: no env called qa\n",
            "error: bad version in target 'mysql:x'\n"]),
    ("ko", ["오류: 알 수 없는 대상 'mysq:8': mysql, mariadb, postgresql, sqlite 중 하나에 "
            ":VERSION을 붙여 쓰세요(예: mariadb:10.11)\n",
            "오류: --target qa=mysql:8.0: qa라는 환경이 없습니다\n",
            "오류: 대상 'mysql:x'의 버전이 잘못되었습니다\n"]),
])
def test_target_mistakes_in_the_run_language(monkeypatch, capsys, lang, lines):
    for target, line in zip(("mysq:8", "qa=mysql:8.0", "mysql:x"), lines, strict=True):
        code, _, err = _run(monkeypatch, capsys, "migrate", PRD, DEV, "--lang", lang,
                            "--stdout", "--target", target)
        assert (code, err) == (2, line)
