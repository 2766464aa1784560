"""Message catalogs: one JSON file per language (``en.json``, ``ko.json``)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("ko", "en")


@cache
def catalog(lang: str) -> dict[str, Any]:
    """Return the whole catalog for ``lang`` (``"ko"`` or ``"en"``)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    text = resources.files(__name__).joinpath(f"{lang}.json").read_text(encoding="utf-8")
    return json.loads(text)


def t(lang: str, key: str, **params: Any) -> str:
    """Look up a dotted ``key`` (e.g. ``"raw.exit_code"``) and fill ``{placeholders}``."""
    node: Any = catalog(lang)
    for part in key.split("."):
        node = node[part]
    if not isinstance(node, str):
        raise KeyError(f"{key} is not a message")
    return node.format(**params) if params else node


def section_titles(lang: str) -> list[str]:
    """The five notes.md section titles, in document order."""
    sections = catalog(lang)["sections"]
    return [sections[k] for k in ("goal", "process", "observations", "concepts", "practice")]
