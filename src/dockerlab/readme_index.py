"""``dockerlab index``: the README's table of topics, between two marker comments.

Only the text between the markers is replaced, so the rest of the README stays
the author's. A README without markers gets the table appended at the end.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from .config import Config
from .errors import DockerlabError
from .fsutil import atomic_write, folder_lock, read_document
from .i18n import t
from .state import DOCKERFILE_NAME, NOTES_NAME, RAW_NAME, STATE_NAME, notes_status, topic_title
from .templates import INDEX_END, INDEX_START
from .topics import Topic, list_topics


@dataclass(frozen=True)
class IndexRow:
    """One line of the topics table."""

    label: str
    title: str
    status: str
    changed: str
    links: list[tuple[str, str]]  # (text, relative path)


def _git_last_change(root: Path, folder: Path) -> str | None:
    """The last commit date of ``folder`` if git tracks it unchanged, else None."""
    # Modification times are reset by every clone, so for committed, unmodified
    # topics git's commit date is the stable answer; otherwise fall back to mtimes.
    try:
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", str(folder)],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
        if dirty:
            return None
        day = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", str(folder)],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return day or None


def _mtime_last_change(folder: Path) -> str:
    times = [
        path.stat().st_mtime
        for path in folder.rglob("*")
        if path.is_file() and path.name != STATE_NAME and not path.name.startswith(".")
    ]
    newest = max(times, default=folder.stat().st_mtime)
    return datetime.fromtimestamp(newest).strftime("%Y-%m-%d")


def last_change(root: Path, folder: Path) -> str:
    """The day the topic last changed, as YYYY-MM-DD."""
    return _git_last_change(root, folder) or _mtime_last_change(folder)


def build_rows(cfg: Config, topics: list[Topic]) -> list[IndexRow]:
    """Collect the table rows for ``topics``."""
    lang = cfg.language
    rows = []
    for topic in topics:
        links = []
        for key, name in (
            ("link_notes", NOTES_NAME),
            ("link_raw", RAW_NAME),
            ("link_dockerfile", DOCKERFILE_NAME),
        ):
            if (topic.path / name).exists():
                links.append((t(lang, f"readme.{key}"), f"topics/{topic.name}/{name}"))
        rows.append(
            IndexRow(
                label=topic.label,
                title=topic_title(topic.path, topic.slug),
                status=notes_status(topic.path),
                changed=last_change(cfg.root, topic.path),
                links=links,
            )
        )
    return rows


def _cell(text: str) -> str:
    # A "|" would split the cell; newlines would end the row.
    return " ".join(text.split()).replace("|", "\\|")


def _link_target(path: str) -> str:
    # Encode only what breaks Markdown link syntax (spaces, parentheses, angle
    # brackets); Korean folder names stay readable, and GitHub resolves them.
    return re.sub(r"[\s()<>]", lambda m: quote(m.group()), path)


def render_table(lang: str, rows: list[IndexRow]) -> str:
    """The Markdown table (or a hint when there are no topics)."""
    if not rows:
        return t(lang, "readme.no_topics")
    headers = [
        t(lang, f"readme.{key}")
        for key in ("col_number", "col_title", "col_status", "col_changed", "col_links")
    ]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(["---"] * len(headers)) + "|"]
    for row in rows:
        links = " · ".join(f"[{text}]({_link_target(path)})" for text, path in row.links)
        lines.append(
            f"| {row.label} | {_cell(row.title)} | {row.status} | {row.changed} | {links} |"
        )
    return "\n".join(lines)


def _marker_lines(readme: str, marker: str) -> list[int]:
    """1-based numbers of the lines holding ``marker``."""
    return [number for number, line in enumerate(readme.splitlines(), 1) if marker in line]


def replace_index(readme: str, table: str, heading: str) -> str:
    """Put ``table`` between the markers of ``readme`` (appending a section if there are none).

    Exactly one start marker followed by one end marker is the only shape that
    is rewritten; a missing, repeated or reversed marker is an error naming its
    line, so nothing the author wrote outside one balanced pair is ever touched.
    """
    block = f"{INDEX_START}\n{table}\n{INDEX_END}"
    starts = _marker_lines(readme, INDEX_START)
    ends = _marker_lines(readme, INDEX_END)
    if not starts and not ends:
        prefix = readme.rstrip("\n")
        return (prefix + "\n\n" if prefix else "") + f"## {heading}\n\n{block}\n"
    if len(starts) > 1:
        raise _marker_error(starts[1], "a second {a}", a=INDEX_START)
    if len(ends) > 1:
        raise _marker_error(ends[1], "a second {a}", a=INDEX_END)
    if not ends:
        raise _marker_error(starts[0], "{a} without {b}", a=INDEX_START, b=INDEX_END)
    if not starts:
        raise _marker_error(ends[0], "{a} without {b}", a=INDEX_END, b=INDEX_START)
    if readme.find(INDEX_END) < readme.find(INDEX_START):
        raise _marker_error(ends[0], "{a} before {b}", a=INDEX_END, b=INDEX_START)
    start = readme.find(INDEX_START)
    end = readme.find(INDEX_END, start + len(INDEX_START))
    return readme[:start] + block + readme[end + len(INDEX_END) :]


def _marker_error(line: int, what: str, **markers: str) -> DockerlabError:
    # One whole template per case, so each can be translated as a sentence.
    return DockerlabError(
        "README.md:{line}: " + what + "; fix the markers by hand (README.md was not changed)",
        line=line,
        **markers,
    )


def update_readme(cfg: Config) -> tuple[bool, int]:
    """Regenerate the README table; return (whether the file changed, number of topics)."""
    topics = list_topics(cfg.topics_dir)
    table = render_table(cfg.language, build_rows(cfg, topics))
    path = cfg.readme_path
    with folder_lock(path):
        old = read_document(path).text if path.exists() else ""
        new = replace_index(old, table, t(cfg.language, "readme.topics_heading"))
        if new != old:
            atomic_write(path, new)
    return new != old, len(topics)
