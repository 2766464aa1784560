"""Input, config, snapshot and output errors said from the catalogs (issue 17, item 6):
each sample is triggered through the CLI with --lang en (the English text as before) and
--lang ko (the Korean text, particles chosen from the value)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from indexdrift.core.atomic import write_atomic
from indexdrift.core.errors import IndexDriftError, InputError
from indexdrift.core.i18n import Catalog, Message
from indexdrift.core.limits import limit_message

SRC = str(Path(__file__).parent.parent / "src")

CONFIGS = {
    "secret": ('[envs.prd]\nsource = "x.csv"\npassword = "s3cret"\n',
               "envs.prd.password: secrets never go in the config file; name an environment "
               "variable with password_env, or use defaults_file (~/.my.cnf), passfile or "
               "service",
               "envs.prd.password: 비밀 정보는 설정 파일에 넣지 않습니다. password_env로 환경 "
               "변수를 지정하거나 defaults_file(~/.my.cnf), passfile, service를 쓰세요"),
    "jobs": ("jobs = 0\n", "jobs must be a whole number from 1 to 256",
             "jobs는 1부터 256까지의 정수여야 합니다"),
    "empty": ("[envs.prd]\nsources = []\n", "envs.prd.sources is empty",
              "envs.prd.sources가 비어 있습니다"),
    "unknown": ("[envs.prd]\nsource = \"x.csv\"\nsorce = 1\n",
                "envs.prd.sorce: unknown key (known: ",
                "envs.prd.sorce: 알 수 없는 키입니다(알려진 키: "),
    "kind": ('[envs.prd]\nsource = "a.csv"\n[[waivers]]\ntable = "t"\nreason = "r"\n'
             'kind = "odd"\n', "waivers[1].kind 'odd' is not one of missing, extra,",
             "waivers[1].kind 'odd'는 missing, extra,"),
    "timeout": ("connect_timeout = -1\n",
                "connect_timeout must be a positive number of seconds (at most ",
                "connect_timeout는 0보다 큰 초 단위 숫자여야 합니다(최대 "),
}


def _cli(tmp_path: Path, lang: str, *args: str) -> tuple[int, str]:
    """``indexdrift ARGS --lang LANG`` in a fresh process; its exit code and stderr."""
    env = {**os.environ, "PYTHONPATH": SRC}
    done = subprocess.run([sys.executable, "-m", "indexdrift", *args, "--lang", lang],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stderr


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_config_errors_in_english_and_korean(tmp_path, name):
    body, english, korean = CONFIGS[name]
    (tmp_path / "indexdrift.toml").write_text(body, encoding="utf-8")
    code, err = _cli(tmp_path, "en", "compare")
    assert code == 2 and err.startswith(f"error: indexdrift.toml: {english}"), err
    code, err = _cli(tmp_path, "ko", "compare")
    assert code == 2 and err.startswith(f"오류: indexdrift.toml: {korean}"), err
    assert err.count("\n") == 1


def test_missing_config_file(tmp_path):
    assert _cli(tmp_path, "en", "compare", "--config", "no.toml")[1] == (
        "error: no.toml: no such config file\n")
    assert _cli(tmp_path, "ko", "compare", "--config", "no.toml")[1] == (
        "오류: no.toml: 그런 설정 파일이 없습니다\n")


def test_snapshot_errors(tmp_path):
    (tmp_path / "s.json").write_text('{"format": "nope"}', encoding="utf-8")
    args = ("compare", "prd=s.json", "dev=s.json")
    assert _cli(tmp_path, "en", *args)[1] == (
        'error: s.json: not an indexdrift snapshot (no "format": "indexdrift-snapshot")\n')
    assert _cli(tmp_path, "ko", *args)[1] == (
        '오류: s.json: indexdrift 스냅샷이 아닙니다("format": "indexdrift-snapshot"이 없음)\n')


def test_csv_nul_error(tmp_path):
    (tmp_path / "n.csv").write_bytes(b"TABLE_SCHEMA,TABLE_NAME\na\0b,c\n")
    args = ("compare", "prd=n.csv", "dev=n.csv")
    assert _cli(tmp_path, "en", *args)[1] == (
        "error: n.csv:2: column TABLE_SCHEMA: the cell contains a NUL byte, which no "
        "database object name or text can hold\n")
    assert _cli(tmp_path, "ko", *args)[1] == (
        "오류: n.csv:2: 컬럼 TABLE_SCHEMA: 이 셀에 NUL 바이트가 있습니다. 어떤 데이터베이스 "
        "객체 이름이나 텍스트도 NUL 바이트를 담을 수 없습니다\n")


def test_limit_message_nests_its_parts():
    error = InputError("a.csv", limit_message("columns"), 1)
    assert str(error) == ("a.csv:1: more than 1,000 columns in a CSV/TSV header (a limit; "
                          "raise it with INDEXDRIFT_LIMIT_COLUMNS=N)")
    assert error.said_in(Catalog("ko")) == (
        "a.csv:1: CSV/TSV 헤더의 컬럼 수가 1,000을 넘습니다(한도입니다. "
        "INDEXDRIFT_LIMIT_COLUMNS=N으로 늘리세요)")


def test_output_errors(tmp_path):
    with pytest.raises(IndexDriftError) as caught:
        write_atomic(tmp_path, "x")
    assert str(caught.value) == (f"cannot write {tmp_path}: it is a directory; give the "
                                 "path of a regular file")
    assert caught.value.said_in(Catalog("ko")) == (
        f"{tmp_path}에 쓸 수 없습니다: 디렉터리입니다. 일반 파일의 경로를 주세요")


def test_no_baseline(tmp_path):
    (tmp_path / "s.json").write_text("{}", encoding="utf-8")
    args = ("compare", "a=s.json", "b=s.json")
    assert _cli(tmp_path, "en", *args)[1] == (
        "error: no baseline: none of the environments is called prd, prod or production "
        "(have: a, b); pass --baseline NAME\n")
    assert _cli(tmp_path, "ko", *args)[1] == (
        "오류: 기준 환경 없음: prd, prod, production이라는 이름의 환경이 없습니다(있는 환경: "
        "a, b). --baseline NAME을 주세요\n")


def test_columns_csv_error_with_particle():
    error = InputError("c.csv", Message("error.csv.column_twice", column="'t.name'", first=3),
                       7, "COLUMN_NAME")
    assert str(error) == ("c.csv:7: column COLUMN_NAME: column 't.name' is listed twice "
                          "(first on line 3)")
    assert error.said_in(Catalog("ko")) == (
        "c.csv:7: 컬럼 COLUMN_NAME: 컬럼 't.name'이 두 번 나옵니다(처음은 3행)")


@pytest.mark.parametrize("query,english,korean", [
    ("connect_timeout=abc", "env prd: connect_timeout='abc' is not a number of seconds",
     "환경 prd: connect_timeout='abc'는 초 단위 숫자가 아닙니다"),
    ("read_timeout=0", "env prd: read_timeout='0': give more than 0 and at most 86400 seconds",
     "환경 prd: read_timeout='0': 0보다 크고 86400초 이하인 값을 주세요"),
])
def test_url_timeout_errors(tmp_path, query, english, korean):
    # Refused before any connection is tried: no server is needed.
    args = ("compare", f"prd=mysql://u@127.0.0.1:1/x?{query}", "dev=mysql://u@127.0.0.1:1/y")
    assert _cli(tmp_path, "en", *args)[1] == f"error: {english}\n"
    assert _cli(tmp_path, "ko", *args)[1] == f"오류: {korean}\n"


def test_url_without_schema_and_fifo_input(tmp_path):
    # Neither reaches a server or blocks on the pipe: both are refused first.
    args = ("compare", "prd=mysql://u@127.0.0.1:1", "dev=mysql://u@127.0.0.1:1/y")
    assert _cli(tmp_path, "en", *args)[1] == (
        "error: env prd: mysql://u@127.0.0.1:1 names no schema (mysql://user@host/SCHEMA)\n")
    assert _cli(tmp_path, "ko", *args)[1] == (
        "오류: 환경 prd: mysql://u@127.0.0.1:1에 스키마가 없습니다(mysql://user@host/SCHEMA)\n")
    os.mkfifo(tmp_path / "pipe")
    args = ("compare", "prd=pipe", "dev=pipe")
    assert _cli(tmp_path, "en", *args)[1] == (
        "error: pipe: is a named pipe (FIFO), not a regular file (indexdrift reads only "
        "regular files)\n")
    assert _cli(tmp_path, "ko", *args)[1] == (
        "오류: pipe: 이름 있는 파이프(FIFO)입니다. 일반 파일이 아닙니다(indexdrift는 일반 "
        "파일만 읽습니다)\n")


def test_query_file_errors():
    from indexdrift.evidence.plans import parse_queries

    with pytest.raises(InputError) as caught:
        parse_queries("-- nothing here\n", "q.sql", "mysql")
    assert str(caught.value) == "q.sql: no SELECT statement in the file"
    assert caught.value.said_in(Catalog("ko")) == "q.sql: 파일에 SELECT 문장이 없습니다"
    with pytest.raises(InputError) as caught:
        parse_queries("SELECT 1; SELECT 2 SELECT 3;", "q.sql", "mysql")
    said = caught.value.said_in(Catalog("ko"))
    assert said.startswith("q.sql:1: 문장 2는 단일 SELECT가 아닙니다"), said
