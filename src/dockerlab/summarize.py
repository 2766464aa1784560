"""``dockerlab summarize``: notes-raw.md → notes.md, through an LLM or offline.

A notes.md edited by hand since dockerlab last wrote it is never replaced
without ``--force``; then a byte copy is kept and the sections the learner
edited are carried into the new notes unchanged.

What goes to the LLM is bounded and private: secrets are masked, the prompt is
cut to ``max_input_tokens`` (saying what was cut), and the topic's Dockerfile
goes with the raw notes. What comes back is checked (finished, the lab's five
sections in the lab's language, no chatter) before it may replace notes.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .answer import check_answer, check_finish
from .budget import estimate_tokens, fit_raw
from .config import Config, LLMSettings
from .errors import DockerlabError
from .fsutil import (
    UTF8,
    atomic_write,
    copy_bytes,
    encode,
    folder_lock,
    read_document,
    read_text,
    sha256_text,
)
from .i18n import catalog, section_titles, t
from .llm import Completion, chat_completion, privacy_warnings
from .offline import offline_draft
from .rawnotes import fence_for
from .redact import redact
from .sections import SECTION_KEYS, edited_sections, merge_sections, section_hashes
from .state import (
    DOCKERFILE_NAME,
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

Completer = Callable[[LLMSettings, list[dict[str, str]]], Completion]


@dataclass(frozen=True)
class SummaryResult:
    """What ``summarize_topic`` did, and what the user should be told about it."""

    notes: Path
    source: str
    backup: Path | None
    messages: list[str] = field(default_factory=list)


def dockerfile_block(lang: str, folder: Path) -> str:
    """The topic's Dockerfile as a fenced block for the prompt (or a line saying there is none)."""
    path = folder / DOCKERFILE_NAME
    if not path.is_file():
        return t(lang, "prompt.no_dockerfile")
    text = read_text(path).rstrip("\n")
    fence = fence_for(text)
    return f"{fence}dockerfile\n{text}\n{fence}"


def build_messages(
    lang: str, title: str, raw_text: str, dockerfile: str = ""
) -> list[dict[str, str]]:
    """The chat messages: instructions (sections, language, verbatim rule), notes, Dockerfile."""
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
                dockerfile=dockerfile or t(lang, "prompt.no_dockerfile"),
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


def prepare_prompt(
    cfg: Config, title: str, raw_text: str, folder: Path
) -> tuple[list[dict[str, str]], list[str]]:
    """The messages to send (secrets masked, cut to the budget) and what to tell the user."""
    lang = cfg.language
    told: list[str] = []
    raw, masked_raw = redact(raw_text)
    dockerfile, masked_dockerfile = redact(dockerfile_block(lang, folder))
    if masked_raw + masked_dockerfile:
        told.append(t(lang, "summary.redacted", count=masked_raw + masked_dockerfile))
    budget = cfg.llm.max_input_tokens
    overhead = sum(
        estimate_tokens(m["content"]) for m in build_messages(lang, title, "", dockerfile)
    )
    fitted = fit_raw(raw, overhead, budget, t(lang, "prompt.cut_marker"))
    if fitted is None:
        needed = overhead + estimate_tokens(raw)
        raise DockerlabError(t(lang, "summary.too_long", tokens=needed, budget=budget))
    if fitted.runs_cut:
        told.append(
            t(
                lang,
                "summary.cut",
                tokens=overhead + estimate_tokens(raw),
                budget=budget,
                runs=fitted.runs_cut,
                lines=fitted.lines_left_out,
            )
        )
    return build_messages(lang, title, fitted.text, dockerfile), told


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
    lang = cfg.language
    folder = topic.path
    raw_path = folder / RAW_NAME
    if not raw_path.exists():
        raise DockerlabError("topic {topic} has no notes-raw.md to summarize", topic=topic.name)
    raw_text = read_document(raw_path).text
    if not raw_text.strip():
        raise DockerlabError(
            "{topic}/notes-raw.md is empty; nothing to summarize", topic=topic.name
        )

    notes_path = folder / NOTES_NAME
    # Strict read first: a notes.md in an encoding dockerlab cannot keep is refused
    # before the LLM is asked, and its encoding is kept when it is replaced.
    current = read_document(notes_path) if notes_path.exists() else None
    notes_encoding = current.encoding if current else UTF8
    state = load_state(folder)
    # Check before calling the LLM: no point paying for an answer we may not write.
    protected = (
        current is not None and not notes_is_generated(folder, state) and has_body(current.text)
    )
    if protected and not force:
        raise DockerlabError(
            "{topic}/notes.md was edited by hand since the last summary; "
            "use --force to replace it (your edited sections are kept, and a backup copy)",
            topic=topic.name,
        )

    title = topic_title(folder, topic.slug)
    heading = topic_heading(topic.label, title)
    told: list[str] = []
    if offline:
        text, source = offline_draft(lang, topic.label, title, raw_text), SOURCE_OFFLINE
    else:
        told += [t(lang, "summary.warning", message=w) for w in privacy_warnings(cfg.llm, lang)]
        messages, prompt_notes = prepare_prompt(cfg, title, raw_text, folder)
        told += prompt_notes
        answer = complete(cfg.llm, messages)
        check_finish(lang, answer.finish_reason)
        text, source = clean_answer(answer.content, heading), SOURCE_LLM
        check_answer(lang, text)

    # Hashes of what dockerlab itself wrote, so a section the learner changed
    # stays "theirs" in every later summary, not only the next one.
    generated_hashes = section_hashes(lang, text)
    if current is not None and has_body(current.text):
        text, note = _keep_edited_sections(lang, current.text, text, state, protected)
        if note:
            told.append(note)
    encode(text, notes_encoding, NOTES_NAME)  # refuse now, not after the backup
    # Everything that can fail without touching files has run; now write.
    backup = None
    with folder_lock(notes_path):
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
            "sections_sha256": generated_hashes,
        }
    )
    if source == SOURCE_LLM:
        state["model"] = cfg.llm.model
    else:
        state.pop("model", None)
    save_state(folder, state)
    return SummaryResult(notes=notes_path, source=source, backup=backup, messages=told)


def _keep_edited_sections(
    lang: str, current: str, new: str, state: dict, protected: bool
) -> tuple[str, str | None]:
    """``new`` with the learner's edited sections of ``current`` put back, and what to say."""
    known = state.get("sections_sha256")
    if not isinstance(known, dict):
        if not protected:
            return new, None  # exactly what an older dockerlab wrote: nothing of theirs
        if state.get("notes_source") in (SOURCE_LLM, SOURCE_OFFLINE):
            # Written before per-section hashes existed: which sections are the
            # learner's cannot be told; the byte backup keeps them.
            return new, t(lang, "summary.no_merge")
        known = {}  # a skeleton or hand-written notes: every section with content is theirs
    edited = edited_sections(lang, current, known)
    if not edited:
        return new, None
    names = catalog(lang)["sections"]
    merged = merge_sections(lang, new, edited)
    kept = ", ".join(names[key] for key in SECTION_KEYS if key in edited)
    return merged, t(lang, "summary.kept_sections", sections=kept)
