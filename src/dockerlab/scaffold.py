"""Creating things: a new lab (``init``) and a new topic folder (``new``)."""

from __future__ import annotations

import os
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .config import CONFIG_NAME, Config, render_default_config
from .errors import DockerlabError
from .fsutil import atomic_write, current_umask, sha256_text
from .state import (
    DOCKERFILE_NAME,
    NOTES_NAME,
    RAW_NAME,
    SOURCE_SKELETON,
    save_state,
)
from .templates import render_dockerfile, render_notes_skeleton, render_raw_notes, render_readme
from .topics import Topic, format_number, list_topics, next_number, slugify


@dataclass(frozen=True)
class InitResult:
    """What ``init_lab`` created (and what it found already there)."""

    created: list[str]
    kept: list[str]


def init_lab(root: Path, language: str) -> InitResult:
    """Create README.md, topics/ and dockerlab.toml in ``root``; never overwrite existing ones."""
    if root.exists() and not root.is_dir():
        raise DockerlabError("{name} exists and is not a folder", name=root.name)
    root.mkdir(parents=True, exist_ok=True)
    created, kept = [], []
    for name, text in (
        (CONFIG_NAME, render_default_config(language)),
        ("README.md", render_readme(language)),
    ):
        path = root / name
        if path.exists():
            # An existing README is the user's; `dockerlab index` adds its table later.
            kept.append(name)
        else:
            atomic_write(path, text)
            created.append(name)
    topics = root / "topics"
    if topics.is_dir():
        kept.append("topics/")
    else:
        topics.mkdir()
        created.append("topics/")
    return InitResult(created=created, kept=kept)


def new_topic(
    cfg: Config,
    title: str,
    number: int | None = None,
    area: int | None = None,
    today: date | None = None,
    goal: str = "",
) -> Topic:
    """Create ``topics/NNN-slug/`` with Dockerfile, notes-raw.md, notes.md and state.

    The folder is assembled under a temporary name and renamed into place, so a
    failure never leaves a half-made topic behind.
    """
    title = unicodedata.normalize("NFC", " ".join(title.split()))
    if not title:
        raise DockerlabError("the topic title is empty")
    slug = slugify(title)
    topics_dir = cfg.topics_dir
    if not topics_dir.is_dir():
        raise DockerlabError("the lab has no topics/ folder; run 'dockerlab init'")
    topics = list_topics(topics_dir)

    if number is None:
        number = next_number(topics, area)
    else:
        taken = [topic.name for topic in topics if topic.number == number]
        if taken:
            raise DockerlabError(
                "topic number {number} is already used by {topic}",
                number=format_number(number),
                topic=taken[0],
            )
    same_slug = [topic.name for topic in topics if topic.slug == slug]
    if same_slug:
        # Two folders with one slug would make `--topic SLUG` ambiguous.
        raise DockerlabError(
            "a topic named {slug!r} already exists ({topic}); choose another title",
            slug=slug,
            topic=same_slug[0],
        )

    label = format_number(number)
    final = topics_dir / f"{label}-{slug}"
    lang = cfg.language
    today = today or date.today()
    skeleton = render_notes_skeleton(lang, label, title)
    staging = Path(tempfile.mkdtemp(prefix=".new-", dir=topics_dir))
    try:
        atomic_write(staging / DOCKERFILE_NAME, render_dockerfile(lang, label, title))
        atomic_write(
            staging / RAW_NAME, render_raw_notes(lang, label, title, today.isoformat(), goal)
        )
        atomic_write(staging / NOTES_NAME, skeleton)
        save_state(
            staging,
            {
                "title": title,
                "created": today.isoformat(),
                "notes_sha256": sha256_text(skeleton),
                "notes_source": SOURCE_SKELETON,
            },
        )
        os.chmod(
            staging, 0o777 & ~current_umask()
        )  # mkdtemp makes 0700; topic folders are ordinary ones
        os.rename(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Topic(path=final, number=number, slug=slug)
