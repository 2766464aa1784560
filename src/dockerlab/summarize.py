"""``dockerlab summarize``: notes-raw.md → notes.md, through an LLM or offline.

A notes.md edited by hand since dockerlab last wrote it is never replaced
without ``--force``, and then only after a backup copy has been written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .config import Config, LLMSettings
from .errors import DockerlabError
from .fsutil import (
    UTF8,
    atomic_write,
    copy_bytes,
    encode,
    read_document,
    read_text,
    sha256_text,
)
from .i18n import catalog, section_titles, t
from .llm import chat_completion
from .offline import offline_draft
from .state import (
    NOTES_NAME,
    RAW_NAME,
    SOURCE_LLM,
    SOURCE_OFFLINE,
    has_body,
    load_state,
    notes_is_generated,
    save_state,
    topic_title,
)
from .templates import topic_heading
from .topics import Topic

Completer = Callable[[LLMSettings, list[dict[str, str]]], str]


@dataclass(frozen=True)
class SummaryResult:
    """What ``summarize_topic`` did."""

    notes: Path
    source: str
    backup: Path | None


def build_messages(lang: str, title: str, raw_text: str) -> list[dict[str, str]]:
    """The chat messages: instructions (sections, language, verbatim rule) and the raw notes."""
    sections = ", ".join(f'"## {name}"' for name in section_titles(lang))
    return [
        {"role": "system", "content": t(lang, "prompt.system", sections=sections)},
        {
            "role": "user",
            "content": t(
                lang,
                "prompt.user",
                title=title,
                language=f"{lang} ({catalog(lang)['language_name']})",
                raw=raw_text,
            ),
        },
    ]


def clean_answer(answer: str, heading: str) -> str:
    """Tidy the model's answer: unwrap a whole-document code fence, ensure the title heading."""
    # Reasoning models served locally may prefix their answer with <think>...</think>.
    text = re.sub(r"^\s*<think>.*?</think>", "", answer, flags=re.DOTALL).strip()
    # Many models wrap the whole document in ```markdown ... ```.
    wrapped = re.fullmatch(r"```(?:markdown|md)?\s*\n(.*)\n```", text, flags=re.DOTALL)
    if wrapped:
        text = wrapped.group(1).strip()
    if not text.startswith("# "):
        text = f"{heading}\n\n{text}"
    return text + "\n"


def _backup_path(topic_dir: Path, now: datetime) -> Path:
    base = f"notes.bak-{now:%Y%m%d-%H%M%S}"
    candidate = topic_dir / f"{base}.md"
    counter = 1
    while candidate.exists():
        candidate = topic_dir / f"{base}-{counter}.md"
        counter += 1
    return candidate


def summarize_topic(
    cfg: Config,
    topic: Topic,
    *,
    offline: bool = False,
    force: bool = False,
    now: datetime | None = None,
    complete: Completer = chat_completion,
) -> SummaryResult:
    """Write the topic's notes.md from its notes-raw.md; see the module docstring for the rules."""
    now = now or datetime.now()
    folder = topic.path
    raw_path = folder / RAW_NAME
    if not raw_path.exists():
        raise DockerlabError(f"topic {topic.name} has no {RAW_NAME} to summarize")
    raw_text = read_document(raw_path).text
    if not raw_text.strip():
        raise DockerlabError(f"{topic.name}/{RAW_NAME} is empty; nothing to summarize")

    notes_path = folder / NOTES_NAME
    # Strict read first: a notes.md in an encoding dockerlab cannot keep is refused
    # before the LLM is asked, and its encoding is kept when it is replaced.
    notes_encoding = read_document(notes_path).encoding if notes_path.exists() else UTF8
    state = load_state(folder)
    # Check before calling the LLM: no point paying for an answer we may not write.
    protected = (
        notes_path.exists()
        and not notes_is_generated(folder, state)
        and has_body(read_text(notes_path))
    )
    if protected and not force:
        raise DockerlabError(
            f"{topic.name}/{NOTES_NAME} was edited by hand since the last summary; "
            "use --force to replace it (a backup copy is kept)"
        )

    title = topic_title(folder, topic.slug)
    heading = topic_heading(topic.label, title)
    if offline:
        text, source = offline_draft(cfg.language, topic.label, title, raw_text), SOURCE_OFFLINE
    else:
        answer = complete(cfg.llm, build_messages(cfg.language, title, raw_text))
        text, source = clean_answer(answer, heading), SOURCE_LLM

    encode(text, notes_encoding, NOTES_NAME)  # refuse now, not after the backup
    # Everything that can fail without touching files has run; now write.
    backup = None
    if protected:
        backup = _backup_path(folder, now)
        copy_bytes(notes_path, backup)
    atomic_write(notes_path, text, notes_encoding)
    state.update(
        {
            "title": title,
            "notes_sha256": sha256_text(text),
            "notes_source": source,
            "summarized_at": now.isoformat(timespec="seconds"),
            "raw_sha256": sha256_text(raw_text),
        }
    )
    if source == SOURCE_LLM:
        state["model"] = cfg.llm.model
    else:
        state.pop("model", None)
    save_state(folder, state)
    return SummaryResult(notes=notes_path, source=source, backup=backup)
