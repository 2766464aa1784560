"""Korean particles chosen from the value's last sound (받침), tables and properties."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexdrift.core.i18n import Catalog, with_particles
from indexdrift.core.i18n.particles import NONE, OTHER, PAIRS, RIEUL, choose, final_sound

READINGS = [
    # Hangul: 받침 or not, ㄹ apart
    ("인덱스", NONE), ("컬럼", OTHER), ("테이블", RIEUL), ("환경", OTHER), ("기준", OTHER),
    # numbers read in Korean
    ("0", OTHER), ("1", RIEUL), ("2", NONE), ("3", OTHER), ("4", NONE), ("5", NONE),
    ("6", OTHER), ("7", RIEUL), ("8", RIEUL), ("9", NONE), ("10", OTHER), ("20", OTHER),
    ("100", OTHER), ("1000", OTHER), ("10000", OTHER), ("1,000", OTHER),
    ("1000000000000", NONE), ("0.1.0", OTHER), ("1.2", NONE), ("v15", NONE),
    # acronyms, letter by letter
    ("SQL", RIEUL), ("DDL", RIEUL), ("PK", NONE), ("KST", NONE), ("db", NONE),
    ("ix_m", OTHER), ("uq_b", NONE),
    # English words as loanwords are read
    ("userstat", OTHER), ("email", RIEUL), ("NULL", RIEUL), ("name", OTHER),
    ("zone", OTHER), ("file", RIEUL), ("table", NONE), ("index", NONE), ("order", NONE),
    ("id", NONE), ("code", NONE), ("group", OTHER), ("lock", OTHER), ("tab", OTHER),
    ("set", OTHER), ("seat", NONE), ("string", OTHER), ("idx_orders_created_at", OTHER),
    ("users", NONE), ("mysql:8.0", OTHER), ("postgresql:15", NONE),
    # quotes and brackets are skipped
    ('"ix_a"', NONE), ("(a, b)", NONE), ("`tenant_id`", NONE),
    # not told: both forms stay
    ("", None), ("名前", None), ("—", None),
]


@pytest.mark.parametrize("text,sound", READINGS)
def test_reading_table(text, sound):
    assert final_sound(text) == sound


FORMS = [
    ("{v}이(가) 생성함", "0.1.0", "0.1.0이 생성함"),
    ("{v}이(가) 생성함", "1.2", "1.2가 생성함"),
    ("{v}을(를) 삭제", "ix_a", "ix_a를 삭제"),
    ("{v}을(를) 삭제", "컬럼", "컬럼을 삭제"),
    ("{v}은(는) 이 환경에만 있음", "email", "email은 이 환경에만 있음"),
    ("{v}은(는) 이 환경에만 있음", "orders", "orders는 이 환경에만 있음"),
    ("{v}와(과) 같습니다", "prd", "prd와 같습니다"),
    ("{v}와(과) 같습니다", "운영", "운영과 같습니다"),
    ("{v}(으)로 변경", "ix_name", "ix_name으로 변경"),
    ("{v}(으)로 변경", "테이블", "테이블로 변경"),
    ("{v}(으)로 변경", "email", "email로 변경"),
    ("{v}(으)로 변경", "인덱스", "인덱스로 변경"),
    ("{v}이(가) 다름", "名前", "名前이(가) 다름"),
    ("{v}, {w}이(가) 다름", "a", "KST", "a, KST가 다름"),
]


@pytest.mark.parametrize("case", FORMS, ids=[c[0] + "|" + c[1] for c in FORMS])
def test_templates_keep_the_fitting_form(case):
    template, *values, expected = case
    names = dict(zip(("v", "w"), values, strict=False))
    assert with_particles(template, names) == expected


def test_catalog_picks_particles_from_the_value():
    ko = Catalog("ko")
    assert ko.t("migrate.header.generated", version="0.1.0").startswith("indexdrift 0.1.0이 ")
    assert ko.t("summary.none", baseline="prd") == "드리프트 없음: 모든 환경이 prd와 같습니다."
    assert ko.t("explain.rename_index", old="ix_a", name="ix_b") == \
        "인덱스 ix_a의 이름을 ix_b로 변경"
    assert "userstat이 꺼져" in ko.t("usage.off_userstat", env="dev")
    # English templates have no pairs: unchanged
    en = Catalog("en")
    assert en.t("summary.none", baseline="prd") == "No drift: every environment matches prd."


@given(st.text(), st.sampled_from(sorted(PAIRS)))
def test_a_pair_becomes_one_form_or_stays(value, pair):
    out = with_particles("{v}" + pair + " 끝", {"v": value})
    assert out.startswith(value)
    rest = out[len(value):]
    with_final, without = PAIRS[pair]
    assert rest in (with_final + " 끝", without + " 끝", pair + " 끝")
    if final_sound(value) is None:
        assert rest == pair + " 끝"


@given(st.integers(min_value=0, max_value=10**15))
def test_numbers_are_read_by_their_korean_last_sound(n):
    sound = final_sound(str(n))
    assert sound in (NONE, RIEUL, OTHER)
    # 로 after a vowel or ㄹ, 으로 after any other 받침
    assert choose("(으)로", sound) == ("로" if sound in (NONE, RIEUL) else "으로")


@given(st.text(alphabet=st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),
               min_size=1))
def test_hangul_by_its_batchim(word):
    final = (ord(word[-1]) - 0xAC00) % 28
    assert (final_sound(word) == NONE) == (final == 0)
    assert choose("을(를)", final_sound(word)) == ("를" if final == 0 else "을")


def test_no_korean_template_writes_a_fixed_particle_after_a_placeholder():
    """A placeholder is followed by a pair (이(가)), never by one fixed form (가)."""
    texts = json.loads(resources.files("indexdrift.core.i18n").joinpath("ko.json")
                       .read_text(encoding="utf-8"))
    fixed = re.compile(r"\}(이|가|을|를|은|는|와|과|로|으로)(?![(가-힣])")
    assert [k for k, v in texts.items() if fixed.search(v)] == []
