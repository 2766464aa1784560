"""Markdown-safe text: names and definitions from a database, shown as written.

A schema can hold any name (``<script>``, ``|``, backticks, line breaks), and a report is
pasted into issues, wikis and job summaries that render HTML. Every piece of database
text in a Markdown report goes through one of these:

- ``text``: inline text. ``<``, ``>``, ``&`` become entities (no HTML element can form);
  Markdown punctuation that starts emphasis, code, links, strike-through or math is
  backslash-escaped, ``|`` too (a table cell stays one cell); line breaks show as ``␤``
  (a row or list item stays one line); spaces and tabs at the edges become entities (a
  cell would trim them).
- ``block``: ``text`` at the start of a list item or heading (a leading ``-``, ``+`` or
  ``1.`` is not a nested list).
- ``code``: a code span with a backtick run longer than any in the name, padded when the
  name starts or ends with a backtick or space; in a table its ``|`` is escaped (GFM
  unescapes it inside code spans too).
- ``fence``: a code fence longer than any backtick run of the block, so no line of a
  statement can close it.
"""

from __future__ import annotations

import re

LINE_BREAK_SIGN = "\u2424"  # ␤, SYMBOL FOR NEWLINE
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Intraword "_" (idx_users_email) cannot open emphasis: only a "_" at a word edge is escaped.
_SPECIAL = re.compile(r"[\\`*\[\]|~#$&<>]|(?<!\w)_|_(?!\w)")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LIST_START = re.compile(r"^([-+]|\d{1,9}(?=[.)]))")


def _escape(match: re.Match) -> str:
    char = match.group()
    return _ENTITIES.get(char) or "\\" + char


def text(value: object) -> str:
    """Inline Markdown showing ``value`` literally (also inside a table cell)."""
    escaped = _SPECIAL.sub(_escape, _LINE_BREAK.sub(LINE_BREAK_SIGN, str(value)))
    # Spaces and tabs at the edges would be trimmed (a cell, a list item): entities keep them.
    core = escaped.strip(" \t")
    if core == escaped:
        return escaped
    start = escaped[:len(escaped) - len(escaped.lstrip(" \t"))]
    end = escaped[len(escaped.rstrip(" \t")):] if core else ""
    return _edge(start) + core + _edge(end)


def _edge(spaces: str) -> str:
    return "".join(f"&#{ord(ch)};" for ch in spaces)


def block(value: object) -> str:
    """``text`` for the start of a list item or heading."""
    escaped = text(value)
    match = _LIST_START.match(escaped)
    if match is None:
        return escaped
    start = match.group()
    # "- x" and "+ x" would nest a list; "1. x" would start an ordered one.
    if start.isdigit():
        return start + "\\" + escaped[len(start):]
    return "\\" + escaped


def cell(value: object) -> str:
    """``text`` for a table cell (an empty cell keeps its place)."""
    return text(value) or " "


def code(value: object, *, table: bool = False) -> str:
    """A code span showing ``value`` literally; ``table`` when it sits in a table cell."""
    content = _LINE_BREAK.sub(LINE_BREAK_SIGN, str(value))
    if table:
        content = content.replace("|", "\\|")
    if not content:
        return "` `"
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    ticks = "`" * (longest + 1)
    if content[0] in "` " or content[-1] in "` ":
        content = f" {content} "  # one space each side is stripped again by the renderer
    return f"{ticks}{content}{ticks}"


def fence(content: str) -> str:
    """A code fence longer than any run of backticks in ``content`` (3 at least)."""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    return "`" * max(3, longest + 1)
