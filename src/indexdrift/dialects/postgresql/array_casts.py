"""A cast of a whole ARRAY[...] of literals written so that it parses back to itself.

PostgreSQL prints ``s IN ('x', 'y')`` on a varchar column as ``s::text = ANY
(ARRAY['x'::character varying, 'y'::character varying]::text[])``, but parsing that text
pushes the cast into the elements (``ARRAY['x'::character varying::text, ...]``): a
predicate or check re-created from the printed text is another catalog tree, printed
another way (a migration left drift, and a rollback was not exact). ``pin_array_casts``
writes the elements' own array type first, ``ARRAY['x'::character varying, ...]::character
varying[]::text[]``: the inner cast is the one pushed into the elements (a no-op), the
outer one casts the whole array, and the server prints it back exactly as it printed the
original.
"""

from __future__ import annotations

import re

# A string literal with one or more casts: 'x'::character varying, 'it''s'::text.
_ELEMENT = re.compile(r"'(?:[^']|'')*'(?:::[a-z][a-z0-9_ ]*(?:\(\d+(?:,\d+)?\))?)+")
# The array type a whole ARRAY[...] is cast to, up to its "[]".
_CAST = re.compile(r"::([a-z][a-z0-9_ ]*(?:\(\d+(?:,\d+)?\))?)\[\]")


def _literal_end(text: str, start: int) -> int:
    """Index after the '...' literal starting at ``start`` ('' inside it doubled)."""
    position = start + 1
    while position < len(text):
        if text[position] == "'":
            if text.startswith("''", position):
                position += 2
                continue
            return position + 1
        position += 1
    return len(text)


def _close(text: str, start: int) -> int | None:
    """Index of the ``]`` closing the ``[`` at ``start``, literals skipped; None if none."""
    depth, position = 0, start
    while position < len(text):
        char = text[position]
        if char == "'":
            position = _literal_end(text, position)
            continue
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
            if depth == 0:
                return position if char == "]" else None
        position += 1
    return None


def _elements(body: str) -> list[str] | None:
    """The comma-separated elements of an ARRAY's body, when each is a cast literal."""
    found, position = [], 0
    while position < len(body):
        match = _ELEMENT.match(body, position)
        if match is None:
            return None
        found.append(match.group(0))
        position = match.end()
        if body.startswith(", ", position):
            position += 2
        elif position != len(body):
            return None
    return found or None


def _quoted_end(text: str, start: int) -> int:
    """Index after the "..." identifier starting at ``start``."""
    end = text.find('"', start + 1)
    while end >= 0 and text.startswith('""', end):
        end = text.find('"', end + 2)
    return len(text) if end < 0 else end + 1


def _rewritten(text: str, start: int) -> tuple[str, int] | None:
    """The ARRAY[...]::T2[] at ``start`` with its elements' type T1 pinned first, and
    where it ends; None when it is not that shape or already pinned."""
    end = _close(text, start + 5)
    cast = _CAST.match(text, end + 1) if end is not None else None
    elements = _elements(text[start + 6:end]) if cast else None
    if cast is None or elements is None:
        return None
    own = {element.rsplit("::", 1)[1] for element in elements}
    if len(own) != 1 or own == {cast.group(1)}:
        return None
    return f"{text[start:end + 1]}::{own.pop()}[]{cast.group(0)}", cast.end()


def pin_array_casts(text: str | None) -> str | None:
    """``ARRAY['x'::T1, 'y'::T1]::T2[]`` as ``ARRAY['x'::T1, 'y'::T1]::T1[]::T2[]`` wherever
    every element is a string literal cast to T1 (see the module docstring); other text as
    is (literals and quoted names are skipped)."""
    if not text or "ARRAY[" not in text:
        return text
    out, position = [], 0
    while position < len(text):
        char = text[position]
        if char in "'\"":
            end = (_literal_end if char == "'" else _quoted_end)(text, position)
            out.append(text[position:end])
            position = end
            continue
        if text.startswith("ARRAY[", position) and not (
                position and (text[position - 1].isalnum() or text[position - 1] == "_")):
            done = _rewritten(text, position)
            if done is not None:
                out.append(done[0])
                position = done[1]
                continue
        out.append(char)
        position += 1
    return "".join(out)
