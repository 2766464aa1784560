"""notes.md as sections: split at level-2 headings, check them, keep the learner's ones.

A summary must have the lab's five sections in the lab's language; a section
the learner rewrote by hand is carried over into the next summary unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .fsutil import sha256_text
from .i18n import catalog
from .state import has_body

SECTION_KEYS = ("goal", "process", "observations", "concepts", "practice")
FENCE_RE = re.compile(r"^\s*(`{3,}|~{3,})")


@dataclass(frozen=True)
class Section:
    """A ``## heading`` and the text under it (up to the next level-2 heading)."""

    heading: str  # the heading text, without "## "
    body: str


def split_sections(text: str) -> tuple[str, list[Section]]:
    """The text before the first ``##`` heading, and the sections (fenced code is skipped)."""
    preamble: list[str] = []
    sections: list[tuple[str, list[str]]] = []
    fence: str | None = None
    for line in text.splitlines():
        match = FENCE_RE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
        if fence is None and line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
        else:
            preamble.append(line)
    return "\n".join(preamble), [Section(h, "\n".join(b)) for h, b in sections]


def _normalize(heading: str) -> str:
    # "1. Goal", "Goal:" and "**Goal**" all name the Goal section.
    heading = re.sub(r"^\d+[.)]\s*", "", heading.strip()).strip("*_ ").rstrip(":：").strip()
    return " ".join(heading.split()).casefold()


def section_key(lang: str, heading: str) -> str | None:
    """Which of the five sections ``heading`` names in ``lang`` (None if none)."""
    titles = catalog(lang)["sections"]
    wanted = _normalize(heading)
    return next((key for key in SECTION_KEYS if _normalize(titles[key]) == wanted), None)


def section_hashes(lang: str, text: str) -> dict[str, str]:
    """Hash of each known section's body, to tell later which ones a person changed."""
    _, sections = split_sections(text)
    hashes = {}
    for section in sections:
        key = section_key(lang, section.heading)
        if key and key not in hashes:
            hashes[key] = sha256_text(section.body.strip())
    return hashes


def edited_sections(lang: str, text: str, known: dict[str, str]) -> dict[str, Section]:
    """The sections of ``text`` with real content that differ from what dockerlab wrote."""
    _, sections = split_sections(text)
    edited = {}
    for section in sections:
        key = section_key(lang, section.heading)
        if key is None or key in edited or not has_body(section.body):
            continue
        if known.get(key) != sha256_text(section.body.strip()):
            edited[key] = section
    return edited


def merge_sections(lang: str, text: str, keep: dict[str, Section]) -> str:
    """``text`` with the sections in ``keep`` replaced by the learner's version."""
    preamble, sections = split_sections(text)
    out = [preamble.rstrip("\n")] if preamble.strip() else []
    for section in sections:
        key = section_key(lang, section.heading)
        chosen = keep.get(key, section) if key else section
        out.append(f"## {section.heading}\n{chosen.body.rstrip()}\n")
    return "\n\n".join(part.rstrip("\n") for part in out) + "\n"
