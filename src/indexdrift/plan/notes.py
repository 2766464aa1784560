"""Comment lines of generated migrations that can be said in the script's language.

A ``Note`` is the English text itself (a ``str``: everything that builds, compares or
renders notes keeps working, and English scripts are unchanged) that also remembers its
catalog key and values, so ``migrate --lang ko`` can say it from ``ko.json``. Only the
human-readable lines are notes; SQL, tool commands and directives stay plain strings.
"""

from __future__ import annotations

from functools import cache

from indexdrift.core.i18n import Catalog


@cache
def _english() -> Catalog:
    return Catalog("en")


class Note(str):
    """An English comment text that knows its catalog key (``migrate.*``) and values."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, **values: object) -> Note:
        """The English text of ``key`` with ``values`` (which may be Notes themselves)."""
        note = super().__new__(cls, _english().t(key, **values))
        note.key = key
        note.values = values
        return note


def has_text(key: str) -> bool:
    """True when ``key`` has a catalog text, so a ``Note`` can be made of it."""
    return _english().has(key)


def localize(text: object, catalog: Catalog | None) -> str:
    """``text`` in the catalog's language when it is a Note; any other text as it is."""
    if catalog is None or catalog.lang == "en" or not isinstance(text, Note):
        return str(text)
    values = {k: localize(v, catalog) for k, v in text.values.items()}
    return catalog.t(text.key, **values)


KINDS = ("missing", "extra", "changed", "renamed", "foreign_key_missing", "foreign_key_extra",
         "foreign_key_changed", "foreign_key_renamed", "foreign_key_around", "check_missing",
         "check_extra", "check_changed", "check_renamed", "table_options_changed",
         "table_missing", "table_extra", "table_rebuild")


def held_note(kind: str, index: str, reason: object) -> Note:
    """``extra ix_a: <reason>``: the note above a held-back step (``kind`` is the finding
    kind that produced the step)."""
    word = Note(f"migrate.kind.{kind}") if kind in KINDS else kind
    return Note("migrate.held", kind=word, index=index, reason=reason)
