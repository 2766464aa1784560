"""Text catalogs: every label, action and note lives in one JSON file per language.

A third language is one more file next to ``en.json``; missing keys fall back to English.
"""

from __future__ import annotations

import json
import os
import string
from functools import cache

from indexdrift.core.i18n.particles import PAIR_RE, attach

LANGUAGES = ("en", "ko")
# The catalogs are files of this package (read directly: importlib.resources would import
# tempfile, zipfile and more at every start for the same two files).
_HERE = os.path.dirname(os.path.abspath(__file__))


@cache
def _load(lang: str) -> dict[str, str]:
    with open(os.path.join(_HERE, f"{lang}.json"), encoding="utf-8") as fh:
        return json.loads(fh.read())


@cache
def _languages() -> tuple[str, ...]:
    return tuple(sorted(name[:-5] for name in os.listdir(_HERE) if name.endswith(".json")))


def available_languages() -> list[str]:
    """Languages with a catalog file."""
    return list(_languages())


def default_language() -> str:
    """Korean when the locale says so (LC_ALL, LC_MESSAGES, LANG), else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


class Catalog:
    """Looks up and formats texts of one language."""

    def __init__(self, lang: str = "en") -> None:
        if lang not in available_languages():
            raise ValueError(f"unknown language {lang!r}")
        self.lang = lang
        self._texts = _load(lang)
        self._fallback = _load("en")

    def has(self, key: str) -> bool:
        """True when ``key`` has a text (in this language or the English fallback)."""
        return key in self._texts or key in self._fallback

    def t(self, key: str, **values: object) -> str:
        """The text for ``key`` with ``values`` filled in; with ``count=1``, the singular
        ``<key>.one`` when the language has one ("1 index", not "1 indexes")."""
        if values.get("count") in (1, "1") and f"{key}.one" in self._texts:
            key = f"{key}.one"
        template = self._texts.get(key) or self._fallback[key]
        if not values:
            return template
        if not _has_pair(template):
            return template.format(**values)
        return with_particles(template, values)


@cache
def _has_pair(template: str) -> bool:
    """True when a template writes a particle pair (asked once per template: reports
    fill the same few templates in thousands of times)."""
    return PAIR_RE.search(template) is not None


_FORMATTER = string.Formatter()


def with_particles(template: str, values: dict[str, object]) -> str:
    """``template.format(**values)``, each particle pair right after a placeholder
    (``{name}이(가)``) turned into the one form that fits the value (particles.py)."""
    out: list[str] = []
    previous: str | None = None
    for literal, field, spec, conversion in _FORMATTER.parse(template):
        out.append(attach(previous, literal) if previous is not None else literal)
        previous = None
        if field is None:
            continue
        value, _ = _FORMATTER.get_field(field, (), values)
        previous = format(_FORMATTER.convert_field(value, conversion), spec or "")
        out.append(previous)
    return "".join(out)


@cache
def _english() -> Catalog:
    return Catalog("en")


class Message(str):
    """An English text that knows its catalog key and values, so it can be said again in
    another language (``localize``): errors, warnings and migration comments are made of
    these where they arise, and said in the run's language where they are shown."""

    key: str
    values: dict[str, object]

    def __new__(cls, key: str, **values: object) -> Message:
        """The English text of ``key`` with ``values`` (which may be Messages themselves)."""
        message = super().__new__(cls, _english().t(key, **values))
        message.key = key
        message.values = values
        return message


def localize(text: object, catalog: Catalog | None) -> str:
    """``text`` in the catalog's language when it is a Message; any other text as it is."""
    if catalog is None or catalog.lang == "en" or not isinstance(text, Message):
        return str(text)
    values = {k: localize(v, catalog) for k, v in text.values.items()}
    return catalog.t(text.key, **values)
