"""Korean reports say everything in Korean (issue 17, item 6): the migration and rollback
scripts inside md/HTML/xlsx reports have Korean comment lines, as ``migrate --lang ko``
writes them; the SQL stays as it is. English reports are unchanged (golden files)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexdrift.cli.main import cli

ROOT = Path(__file__).parent.parent
FILES = [f"examples/indexes_{e}.csv" for e in ("prd", "stg", "dev")]
HANGUL = re.compile("[가-힣]")
SQL = re.compile(r"^\s*(ALTER|SELECT|CREATE|DROP|ADD|MODIFY|RENAME|ALGORITHM|SET|"
                 r"pt-online-schema-change|gh-ost)\b")


def _sql_blocks(markdown: str) -> list[str]:
    return re.findall(r"```sql\n(.*?)```", markdown, re.S)


def _prose(block: str) -> list[str]:
    return [line[2:].strip() for line in block.splitlines()
            if line.startswith("--") and line[2:].strip() and not SQL.match(line[2:].strip())]


@pytest.fixture(autouse=True)
def _in_repo_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_report_scripts_speak_the_report_language(lang):
    result = CliRunner().invoke(cli, ["compare", *FILES, "--format", "md", "--lang", lang])
    assert result.exit_code == 1, result.output
    blocks = _sql_blocks(result.stdout)
    assert blocks
    prose = [line for block in blocks for line in _prose(block)]
    if lang == "ko":
        assert [line for line in prose if not HANGUL.search(line)] == []
        assert "indexdrift 마이그레이션 (환경 stg)" in prose
        assert "indexdrift 롤백 (환경 stg)" in prose
        assert "indexdrift 0.1.0이 생성함; 적용 전에 검토하세요" in prose
    else:
        assert "indexdrift migration for env stg" in prose
        assert "indexdrift rollback for env stg" in prose
        assert not any(HANGUL.search(line) for line in prose)
    # the SQL itself is the same in both languages
    sql = [line for block in blocks for line in block.splitlines() if not line.startswith("--")]
    assert "  ALGORITHM=INPLACE, LOCK=NONE;" in sql
