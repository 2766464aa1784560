"""array_casts.pin_array_casts: a cast of a whole ARRAY of literals (PostgreSQL's text for
IN on a varchar column) written so that the server parses it back to the same tree. The
real server round trip: tests/corpus/coupled/postgresql/86_… and 87_… (a check and partial
indexes re-created from it print as the baseline's)."""

from __future__ import annotations

import pytest

from indexdrift.dialects.postgresql.array_casts import pin_array_casts

IN_VARCHAR = "s::text = ANY (ARRAY['x'::character varying, 'y'::character varying]::text[])"
PINNED = ("s::text = ANY (ARRAY['x'::character varying, 'y'::character varying]"
          "::character varying[]::text[])")


def test_the_elements_type_goes_first_once():
    assert pin_array_casts(IN_VARCHAR) == PINNED
    assert pin_array_casts(PINNED) == PINNED
    assert pin_array_casts(f"{IN_VARCHAR} AND ({IN_VARCHAR})") == f"{PINNED} AND ({PINNED})"


@pytest.mark.parametrize("text", [
    None, "", "a = ANY (ARRAY[1, 2])",
    "s::text = ANY (ARRAY['x'::character varying::text, 'y'::character varying::text])",
    "s::text = ANY (ARRAY['x'::text, 'y'::character varying]::text[])",  # two types
    "x = ANY (ARRAY[(a)::text, 'b'::text]::text[])",  # not only literals
    "note <> 'ARRAY[''a''::character varying]::text[]'",  # inside a literal
    '"ARRAY[" = ANY (ARRAY[\'a\'::text]::text[])',  # already its own type
])
def test_anything_else_is_left_as_it_is(text):
    assert pin_array_casts(text) == text


def test_literals_with_quotes_and_typmods():
    text = "s::text = ANY (ARRAY['it''s'::character varying(5), 'y'::character varying(5)]::text[])"
    assert pin_array_casts(text) == (
        "s::text = ANY (ARRAY['it''s'::character varying(5), 'y'::character varying(5)]"
        "::character varying(5)[]::text[])")
