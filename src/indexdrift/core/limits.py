"""Bounds on what indexdrift reads, so a hostile or broken input ends in a clear error.

Every limit has a default that fits real schemas with room to spare (a 50,000-table
export is far below each of them) and can be raised with an environment variable
``INDEXDRIFT_LIMIT_<NAME>`` (e.g. ``INDEXDRIFT_LIMIT_LINE_BYTES=8388608``); the error
that a limit produces names the variable.
"""

from __future__ import annotations

import os

from indexdrift.core.i18n import Message

# Targets of a fleet read at the same time unless --jobs or the config say otherwise, and
# the live sources' timeouts (seconds: a day is past any sane wait for a catalog answer, a
# larger number is a typo). Here, not in sources: the --jobs and --*-timeout help texts
# name them, and ``--help`` must not import the readers (start-up time).
DEFAULT_JOBS = 4
DEFAULT_TIMEOUTS = {"connect_timeout": 10.0, "read_timeout": 600.0}
MAX_TIMEOUT = 86400.0

# name -> (default, what it bounds: shown in the error)
_DEFAULTS: dict[str, tuple[int, str]] = {
    "line_bytes": (1 << 20, "bytes in one line of a CSV/TSV file"),
    "field_bytes": (1 << 20, "bytes in one CSV/TSV field"),
    "columns": (1_000, "columns in a CSV/TSV header"),
    "input_bytes": (4 << 30, "bytes in one input file"),
    "decompressed_bytes": (1 << 30, "bytes of decompressed snapshot data"),
    "json_depth": (64, "nesting levels of a snapshot or config file"),
    "tables": (1_000_000, "tables in one environment"),
}


def limit(name: str) -> int:
    """The limit ``name`` in force: ``INDEXDRIFT_LIMIT_<NAME>`` when set, else the default."""
    default, _ = _DEFAULTS[name]
    raw = os.environ.get(f"INDEXDRIFT_LIMIT_{name.upper()}")
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if value > 0 else default


def limit_message(name: str) -> Message:
    """The end of an error about limit ``name``: what it bounds and how to raise it."""
    return Message("error.limit", count=f"{limit(name):,}", what=Message(f"limit.{name}"),
                   name=name.upper())


def nul_message(what: str) -> Message:
    """Why a value holding a NUL byte is refused (no database name or text can hold one,
    and psql ends a line at it, which shifts the quoting of everything after)."""
    return Message("error.nul", what=what)


EXCERPT_CHARS = 100


def excerpt(value: object, size: int = EXCERPT_CHARS) -> str:
    """``value`` quoted for an error message (``repr``, so control characters and NUL show
    as escapes), cut to about ``size`` characters: a hostile input never makes a huge
    message."""
    return clip(repr(value), size, len(value) if isinstance(value, str) else None)


def clip(text: str, size: int = EXCERPT_CHARS, length: int | None = None) -> str:
    """``text`` (already fit to be shown) cut to about ``size`` characters, saying how long
    it was (``length``, when the text shown is a quoted form of something else)."""
    if len(text) <= size:
        return text
    return f"{text[:size]}… ({length if length is not None else len(text):,} characters)"
