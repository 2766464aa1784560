"""Per-topic state (``.dockerlab.json``) and the raw / summarized / reviewed status.

The state remembers the hash of the last ``notes.md`` that dockerlab wrote. If
the file on disk still has that hash, dockerlab may replace it; if not, a
person edited it and it is protected.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .fsutil import atomic_write, read_text, sha256_text

STATE_NAME = ".dockerlab.json"
NOTES_NAME = "notes.md"
RAW_NAME = "notes-raw.md"
DOCKERFILE_NAME = "Dockerfile"

# What wrote notes.md last: the empty skeleton from `new`, or a summary.
SOURCE_SKELETON = "skeleton"
SOURCE_LLM = "llm"
SOURCE_OFFLINE = "offline"

STATUS_RAW = "raw"
STATUS_SUMMARIZED = "summarized"
STATUS_REVIEWED = "reviewed"


def load_state(topic_dir: Path) -> dict[str, Any]:
    """The topic's state, or ``{}`` if missing or unreadable.

    An unreadable state is treated like a missing one, which errs on the safe
    side: notes.md then counts as hand-written and is protected.
    """
    try:
        data = json.loads(read_text(topic_dir / STATE_NAME))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def save_state(topic_dir: Path, state: dict[str, Any]) -> None:
    """Write the topic's state atomically, in a stable, diff-friendly form."""
    atomic_write(
        topic_dir / STATE_NAME,
        json.dumps(state, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
    )


def has_body(markdown: str) -> bool:
    """True if the text holds more than headings and HTML comments (i.e. real content)."""
    without_comments = re.sub(r"<!--.*?-->", "", markdown, flags=re.DOTALL)
    return any(
        line.strip() and not line.lstrip().startswith("#") for line in without_comments.splitlines()
    )


def notes_is_generated(topic_dir: Path, state: dict[str, Any] | None = None) -> bool:
    """True if notes.md is exactly what dockerlab last wrote (so it may be replaced)."""
    state = load_state(topic_dir) if state is None else state
    notes = topic_dir / NOTES_NAME
    if not notes.exists():
        return False
    return state.get("notes_sha256") == sha256_text(read_text(notes))


def notes_status(topic_dir: Path) -> str:
    """``raw`` (no clean notes yet), ``summarized`` (generated, untouched) or ``reviewed``.

    ``reviewed`` means a person has worked on notes.md: edited a summary, or
    written notes by hand.
    """
    notes = topic_dir / NOTES_NAME
    if not notes.exists():
        return STATUS_RAW
    text = read_text(notes)
    state = load_state(topic_dir)
    if state.get("notes_sha256") == sha256_text(text):
        return STATUS_RAW if state.get("notes_source") == SOURCE_SKELETON else STATUS_SUMMARIZED
    # Changed by hand; an edited skeleton that is still only headings is not notes yet.
    return STATUS_REVIEWED if has_body(text) else STATUS_RAW


def topic_title(topic_dir: Path, slug: str) -> str:
    """The topic's human title: from the state, else the raw notes' heading, else the slug."""
    title = load_state(topic_dir).get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    for name in (NOTES_NAME, RAW_NAME):
        path = topic_dir / name
        if path.exists():
            for line in read_text(path).splitlines():
                if line.startswith("# "):
                    # "# 020 · network basics" → "network basics"
                    return re.sub(r"^\d{3}\s*[·:.\-–—]?\s*", "", line[2:].strip()) or slug
    return slug.replace("-", " ")
