"""Comment lines of generated migrations that can be said in the script's language.

A ``Note`` is the English text itself (a ``str``: everything that builds, compares or
renders notes keeps working, and English scripts are unchanged) that also remembers its
catalog key and values, so ``migrate --lang ko`` can say it from ``ko.json``. Only the
human-readable lines are notes; SQL, tool commands and directives stay plain strings.
"""

from __future__ import annotations

from functools import cache

from indexdrift.core.i18n import Catalog, localize
from indexdrift.core.i18n import Message as Note

__all__ = ["Catalog", "Note", "has_text", "held_note", "localize"]


@cache
def _english() -> Catalog:
    return Catalog("en")


def has_text(key: str) -> bool:
    """True when ``key`` has a catalog text, so a ``Note`` can be made of it."""
    return _english().has(key)


KINDS = ("missing", "extra", "changed", "renamed", "foreign_key_missing", "foreign_key_extra",
         "foreign_key_changed", "foreign_key_renamed", "foreign_key_around", "check_missing",
         "check_extra", "check_changed", "check_renamed", "table_options_changed",
         "table_missing", "table_extra", "table_rebuild")


def held_note(kind: str, index: str, reason: object) -> Note:
    """``extra ix_a: <reason>``: the note above a held-back step (``kind`` is the finding
    kind that produced the step)."""
    word = Note(f"migrate.kind.{kind}") if kind in KINDS else kind
    return Note("migrate.held", kind=word, index=index, reason=reason)
