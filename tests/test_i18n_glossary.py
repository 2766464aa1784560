"""The Korean glossary of docs/i18n.md holds in ko.json: one term per concept."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[1] / "docs" / "i18n.md"
ROW = re.compile(r"^\| (?P<concept>[^|]+) \| (?P<en>[^|]+) \| (?P<ko>[^|]+) \| (?P<not>[^|]*)\|$")


def _korean() -> dict[str, str]:
    return json.loads(resources.files("indexdrift.core.i18n").joinpath("ko.json")
                      .read_text(encoding="utf-8"))


def glossary() -> list[dict[str, str]]:
    """The rows of the glossary table in docs/i18n.md."""
    text = DOC.read_text(encoding="utf-8").split("## Korean glossary", 1)[1]
    text = text.split("\n## ", 1)[0]
    rows = [m.groupdict() for line in text.splitlines() if (m := ROW.match(line))]
    return [r for r in rows if r["concept"] != "Concept" and not r["concept"].startswith("-")]


def test_the_glossary_has_rows():
    assert len(glossary()) >= 20


@pytest.mark.parametrize("row", glossary(), ids=lambda r: r["en"].strip())
def test_ko_json_uses_the_term_and_none_of_the_others(row):
    texts = _korean()
    term = row["ko"].split("(")[0].strip()
    assert any(term in value for value in texts.values()), term
    for word in (w.strip() for w in row["not"].split(",")):
        if word:
            used = [key for key, value in texts.items() if word in value]
            assert used == [], f"{word!r} (say {term!r}) in {used}"


def test_every_extra_kind_is_chogwa_and_every_missing_kind_is_nurak():
    texts = _korean()
    for key, value in texts.items():
        if re.fullmatch(r"(migrate\.)?kind\.(\w+_)?extra", key):
            assert "초과" in value, key
        if re.fullmatch(r"(migrate\.)?kind\.(\w+_)?missing", key):
            assert "누락" in value, key
    assert texts["action.ADD"] == "추가"
    assert texts["action.RENAME"] == "이름 변경"
