"""Topic folders: naming (number + slug), listing, numbering and resolving."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import DockerlabError

TOPIC_DIR_RE = re.compile(r"^(\d{3})-(\S.*)$")
MAX_NUMBER = 999
MAX_SLUG_CHARS = 60


@dataclass(frozen=True)
class Topic:
    """One topic folder such as ``topics/020-network-basics``."""

    path: Path
    number: int
    slug: str

    @property
    def name(self) -> str:
        """The folder name, e.g. ``020-network-basics``."""
        return self.path.name

    @property
    def label(self) -> str:
        """The zero-padded number, e.g. ``020``."""
        return format_number(self.number)


def format_number(number: int) -> str:
    """Three digits, so folders sort in number order."""
    return f"{number:03d}"


def slugify(title: str) -> str:
    """Make a folder-name slug from a title, keeping Korean (and other) letters.

    ``"Network basics"`` → ``network-basics``; ``"네트워크 기초"`` → ``네트워크-기초``.
    Hangul is kept rather than romanized: the slug stays readable to the author
    and git and GitHub handle UTF-8 folder names.
    """
    # NFKC folds full-width forms and composes decomposed Hangul (macOS file
    # names arrive as NFD), so equal titles always give byte-equal slugs.
    text = unicodedata.normalize("NFKC", title).lower()
    words = re.findall(r"[^\W_]+", text)  # \w is Unicode-aware; "_" counts as a separator
    slug = "-".join(words)
    if len(slug) > MAX_SLUG_CHARS:
        cut = slug[:MAX_SLUG_CHARS]
        # Prefer cutting at a word boundary so the slug does not end mid-word.
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    if not slug:
        raise DockerlabError(
            "the title {title!r} has no letters or digits to make a folder name from", title=title
        )
    return slug


def parse_number(text: str) -> int:
    """Parse a topic number such as ``020`` or ``20`` (1..999)."""
    stripped = text.strip()
    if not stripped.isdigit() or not (1 <= int(stripped) <= MAX_NUMBER):
        raise DockerlabError(
            "topic number must be 1..{max} (e.g. 020), got {text!r}", max=MAX_NUMBER, text=text
        )
    return int(stripped)


def parse_area(text: str) -> int:
    """Parse a tens group such as ``020`` (020-029) or ``0`` (001-009)."""
    stripped = text.strip()
    if not stripped.isdigit() or int(stripped) > MAX_NUMBER:
        raise DockerlabError(
            "area must be a number 0..{max} such as 020, got {text!r}", max=MAX_NUMBER, text=text
        )
    return int(stripped)


def list_topics(topics_dir: Path) -> list[Topic]:
    """All topic folders, in number order (other entries are ignored)."""
    if not topics_dir.is_dir():
        return []
    found = []
    for entry in topics_dir.iterdir():
        match = TOPIC_DIR_RE.match(entry.name)
        if match and entry.is_dir():
            found.append(Topic(path=entry, number=int(match.group(1)), slug=match.group(2)))
    return sorted(found, key=lambda topic: (topic.number, topic.name))


def next_number(topics: list[Topic], area: int | None = None) -> int:
    """The number for a new topic.

    Numbers group by area in tens (000-009 basics, 020-029 networking, ...).
    Without ``area`` the new topic continues after the highest number in use;
    with ``area`` it takes the first free number of that tens group.
    """
    used = {topic.number for topic in topics}
    if area is None:
        number = max(used, default=0) + 1
        if number > MAX_NUMBER:
            raise DockerlabError(
                "no topic number left after {number}", number=format_number(MAX_NUMBER)
            )
        return number
    start = area - area % 10
    for number in range(max(start, 1), start + 10):
        if number not in used:
            return number
    raise DockerlabError(
        "area {first}-{last} is full; pick another with --number",
        first=format_number(start),
        last=format_number(start + 9),
    )


def _one_line_list(topics: list[Topic]) -> str:
    names = [topic.name for topic in topics[:8]]
    more = ", ..." if len(topics) > 8 else ""
    return ", ".join(names) + more if names else "none yet"


def resolve_topic(topics_dir: Path, spec: str | None, cwd: Path) -> Topic:
    """Find the topic named by ``spec`` (number, slug or folder name), or the one ``cwd`` is in."""
    topics = list_topics(topics_dir)
    if spec is None:
        cwd = cwd.resolve()
        for topic in topics:
            folder = topic.path.resolve()
            if cwd == folder or folder in cwd.parents:
                return topic
        raise DockerlabError(
            "no topic given and the current folder is not inside one; pass a topic (e.g. 020)"
        )

    wanted = spec.strip().rstrip("/").split("/")[-1]  # accept "topics/020-x/" as well
    if wanted.isdigit():
        matches = [topic for topic in topics if topic.number == int(wanted)]
    else:
        normalized = unicodedata.normalize("NFKC", wanted)
        matches = [topic for topic in topics if topic.name == normalized] or [
            topic
            for topic in topics
            if topic.slug == normalized or topic.slug == slugify_or_none(normalized)
        ]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise DockerlabError(
            "topic {spec!r} is ambiguous: {topics}", spec=spec, topics=_one_line_list(matches)
        )
    if not topics:
        raise DockerlabError("no topic {spec!r} in this lab (none yet)", spec=spec)
    raise DockerlabError(
        "no topic {spec!r} in this lab (topics: {topics})", spec=spec, topics=_one_line_list(topics)
    )


def slugify_or_none(text: str) -> str | None:
    """``slugify`` that returns None instead of raising, for lookups."""
    try:
        return slugify(text)
    except DockerlabError:
        return None
