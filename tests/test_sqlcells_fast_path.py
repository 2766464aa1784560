"""The SQL-cell check's parser-free path for plain function calls (``lower(`sku`)``) gives
the verdict sqlglot gives: it only saves importing sqlglot at start-up (issue 15).

Texts of the fast path's shape are generated (a fixed seed) with hostile contents in their
quoted names and strings; sqlglot must accept each of them too. Texts just outside the shape
still go to sqlglot and keep its verdict.
"""

from __future__ import annotations

import random

import pytest

from indexdrift.sources.sqlcells import (
    _CALL_FUNCTIONS,
    _parse_problem,
    _simple_call,
    _structure_problem,
    expression_problem,
)

# Pieces a hostile name or string could hold (no backslash or control character: those never
# take the fast path).
PIECES = ("a", "sku", "é", " ", ";", "--", "#", "/*", "*/", "?", ":v", "@v", "$1", "$$", "(",
          ")", ",", "'", '"', "`", "select", " drop table t", "union all", "0x41", "N",
          "_utf8mb4")
QUOTES = {"mysql": ("`",), "postgres": ('"',), "sqlite": ("`", '"')}


def _content(rng: random.Random, refused: str) -> str:
    text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4)))
    return "".join(c for c in text if c not in refused) or "x"


def _arg(rng: random.Random, dialect: str) -> str:
    kind = rng.randrange(3)
    if kind == 0:
        quote = rng.choice(QUOTES[dialect])
        return quote + _content(rng, quote) + quote
    if kind == 1:
        return str(rng.randint(0, 10 ** rng.randint(1, 6)))
    return "'" + _content(rng, "'") * rng.randint(0, 1) + "'"


def _call(rng: random.Random, dialect: str) -> str:
    name = rng.choice(_CALL_FUNCTIONS.split("|"))
    name = "".join(c.upper() if rng.random() < 0.3 else c for c in name)
    space = lambda: rng.choice(("", "", " ", "\n", "\t "))  # noqa: E731
    args = f"{space()},{space()}".join(_arg(rng, dialect) for _ in range(rng.randint(1, 3)))
    return f"{space()}{name}({space()}{args}{space()}){space()}"


def _sqlglot_problem(text: str, dialect: str) -> str | None:
    problem, outside = _structure_problem(text, dialect)
    return problem or _parse_problem(text, dialect, outside)


@pytest.mark.parametrize("dialect", ["mysql", "postgres", "sqlite"])
def test_every_fast_path_text_is_one_sqlglot_accepts(dialect):
    rng = random.Random(15)
    for _ in range(400):
        text = _call(rng, dialect)
        if _structure_problem(text, dialect)[0] is not None:
            continue  # the scanner refuses it before either path
        assert _simple_call(dialect).fullmatch(text.strip()), text
        assert _sqlglot_problem(text, dialect) is None, text
        assert expression_problem(text, dialect) is None, text


@pytest.mark.parametrize("text, dialect", [
    ("lower(`email`) + 1", "mysql"), ("lower(sku)", "mysql"), ("lower((email)::text)", "postgres"),
    ("ſubstr(`a`)", "mysql"), ("lower(`a`\u00a0)", "mysql"), ("lower(`a`, ٣)", "mysql"),
    ("lower(`a\\b`)", "mysql"), ("lower(`a\x01`)", "mysql"), ("lower(\"a\")", "mysql"),
    ("lower(`a`)", "postgres"), ("use(`a`)", "mysql"), ("lower(`a`) lower(`b`)", "mysql"),
])
def test_texts_outside_the_shape_keep_sqlglots_verdict(text, dialect):
    assert not _simple_call(dialect).fullmatch(text.strip())
    assert expression_problem(text, dialect) == _sqlglot_problem(text, dialect)
