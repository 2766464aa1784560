"""Korean particles chosen from the word they follow: ``{name}이(가)`` becomes 이 or 가.

A Korean particle has two forms, chosen by whether the word before it ends in a final
consonant (받침): 이/가, 을/를, 은/는, 과/와, and 으로/로 (로 after ㄹ too). The catalogs
write the pair right after a placeholder (``{name}을(를)``, ``{target}(으)로``); once the
value is known, ``attach`` keeps the one form that fits how the value is read aloud.

How a value is read (docs/i18n.md): the last Hangul syllable, letter or digit counts,
trailing punctuation (quotes, brackets) is skipped. A Hangul syllable has its 받침 or not.
A number is read the Korean way (…0 영, 1 일, 3 삼, 6 육, 7 칠, 8 팔: 받침; 2 이, 4 사,
5 오, 9 구: none; 10 십, 100 백, 1000 천, 10000 만 by its trailing zeros). Latin letters
follow English pronunciation as loanwords are written: a run without a vowel letter is an
acronym read letter by letter (SQL 에스큐엘, DDL, PK 피케이: only L, M, N, R end in a
받침); a word ends in a 받침 after m, n, ng, l (NULL 널), after p, b, k, c, ck following a
vowel (group 그룹, tab 탭, lock 락, public 퍼블릭), after t following a single vowel
(set 셋), and in me, ne, le following a vowel (name 네임, zone 존, file 파일); any other ending is
read with a vowel (index 인덱스, order 오더, id 아이디, code 코드). Anything else (an empty
value, Han characters, symbols only) keeps both forms, as written.
"""

from __future__ import annotations

import re

# Which form follows a word: (with 받침, without 받침), by the pair the catalogs write.
PAIRS = {
    "이(가)": ("이", "가"), "가(이)": ("이", "가"),
    "을(를)": ("을", "를"), "를(을)": ("을", "를"),
    "은(는)": ("은", "는"), "는(은)": ("은", "는"),
    "과(와)": ("과", "와"), "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"), "(이)라": ("이라", "라"), "(이)나": ("이나", "나"),
}
PAIR_RE = re.compile("|".join(re.escape(p) for p in sorted(PAIRS, key=len, reverse=True)))

NONE, RIEUL, OTHER = "none", "rieul", "other"  # no 받침, ㄹ, any other 받침

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL_INDEX = 8  # ㄹ among the 28 final-consonant slots of a syllable
# The Korean reading of a last digit: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGITS = {"0": OTHER, "1": RIEUL, "2": NONE, "3": OTHER, "4": NONE, "5": NONE,
           "6": OTHER, "7": RIEUL, "8": RIEUL, "9": NONE}
# Letter names: L 엘, R 알 (ㄹ); M 엠, N 엔; every other letter name ends in a vowel.
_LETTER_NAMES = {"l": RIEUL, "r": RIEUL, "m": OTHER, "n": OTHER}
_VOWELS = set("aeiouy")
_WORD = re.compile(r"[A-Za-z]+$")


def final_sound(text: str) -> str | None:
    """``NONE``, ``RIEUL`` or ``OTHER`` for how ``text`` ends when read aloud; None when
    it cannot be told (see the module docstring for the reading rules)."""
    stripped = text.rstrip(" \t\"'`)]}>»」』.,;:!?")
    if not stripped:
        return None
    last = stripped[-1]
    code = ord(last)
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        final = (code - _HANGUL_FIRST) % 28
        return NONE if final == 0 else RIEUL if final == _RIEUL_INDEX else OTHER
    if last.isascii() and last.isdigit():
        return _number_sound(stripped)
    if last.isascii() and last.isalpha():
        return _word_sound(_WORD.search(stripped).group(0).lower())
    return None


def _number_sound(text: str) -> str:
    """The ending of a number read in Korean: its last digit, or for trailing zeros the
    unit it ends in (십 ㅂ, 백 ㄱ, 천 ㄴ, 만 ㄴ, 억 ㄱ, 조: none)."""
    digits = re.search(r"[0-9][0-9,]*$", text).group(0).replace(",", "")  # 1,000: 천
    nonzero = digits.rstrip("0")
    zeros = len(digits) - len(nonzero)
    if zeros == 0:
        return _DIGITS[digits[-1]]
    if not nonzero:  # 0, 00: 영
        return OTHER
    if zeros % 4:  # 십 백 천
        return OTHER
    return NONE if (zeros // 4) % 3 == 0 else OTHER  # 만 억: 받침; 조: none


def _word_sound(word: str) -> str:
    """The ending of a Latin word as English loanwords are read in Korean."""
    if not _VOWELS & set(word):
        return _LETTER_NAMES.get(word[-1], NONE)  # an acronym: SQL, DDL, PK
    if word.endswith("ng") or word[-1] in "mn":
        return OTHER
    if word[-1] == "l":
        return RIEUL
    before = word[-2] if len(word) > 1 else ""
    if word[-1] in "pbkc" and before in _VOWELS:
        return OTHER
    if word.endswith("ck"):
        return OTHER
    if word[-1] == "t" and before in _VOWELS and (len(word) < 3 or word[-3] not in _VOWELS):
        return OTHER
    if word[-1] == "e" and before in "mnl" and len(word) > 2 and word[-3] in _VOWELS:
        return RIEUL if before == "l" else OTHER
    return NONE


def choose(pair: str, sound: str | None) -> str:
    """The form of ``pair`` (a key of ``PAIRS``) after a word ending in ``sound``; both
    forms, as written, when the sound is not known."""
    if sound is None:
        return pair
    with_final, without = PAIRS[pair]
    if pair == "(으)로":
        return without if sound in (NONE, RIEUL) else with_final
    return without if sound == NONE else with_final


def attach(value: str, following: str) -> str:
    """``following`` (the template text right after a value) with a particle pair at its
    start replaced by the form that fits ``value``."""
    found = PAIR_RE.match(following)
    if found is None:
        return following
    return choose(found.group(0), final_sound(value)) + following[found.end():]
