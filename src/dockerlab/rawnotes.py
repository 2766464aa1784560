"""notes-raw.md: appending run blocks and note lines, and reading them back.

A run block is readable Markdown for people and carries a one-line HTML
comment with the same facts as JSON, so the offline summary can read it back
without depending on the localized labels around it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .fsutil import append_text
from .i18n import LANGUAGES, t
from .state import RAW_NAME
from .templates import render_raw_notes

RUN_MARKER_RE = re.compile(r"^<!-- dockerlab:run (\{.*\}) -->$")
FENCE_RE = re.compile(r"^(`{3,})(.*)$")
NOTE_RE = re.compile(r"^- \[(\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?)\] (.*)$")


@dataclass(frozen=True)
class RunEntry:
    """One recorded command: what ran, how it ended and what it printed (already trimmed)."""

    command: str
    exit_code: int
    duration: float
    output: str
    signal: str | None = None  # the signal that ended the command, e.g. "SIGKILL"


@dataclass
class RawNotes:
    """What the offline summary needs from notes-raw.md."""

    goal: str = ""
    runs: list[RunEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def fence_for(*texts: str) -> str:
    """A backtick fence longer than any backtick run inside ``texts``.

    Command output can itself contain Markdown fences (e.g. ``cat README.md``);
    a longer fence keeps it from closing the code block early.
    """
    longest = max((len(run) for text in texts for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def timestamp(when: datetime) -> str:
    """The timestamp format used in notes-raw.md."""
    return when.strftime("%Y-%m-%d %H:%M:%S")


def format_run_block(lang: str, entry: RunEntry, when: datetime) -> str:
    """The Markdown block ``dockerlab run`` appends for one command."""
    facts = {"cmd": entry.command, "exit": entry.exit_code, "duration": round(entry.duration, 3)}
    if entry.signal:
        facts["signal"] = entry.signal
    meta = json.dumps(facts, ensure_ascii=False)
    # JSON never needs a bare ">" outside strings, so escaping it keeps "-->"
    # inside a command from ending the HTML comment early.
    meta = meta.replace(">", "\\u003e")
    output = entry.output if entry.output.strip() else t(lang, "raw.no_output")
    cmd_fence = fence_for(entry.command)
    out_fence = fence_for(output)
    seconds = t(lang, "raw.seconds", value=f"{entry.duration:.1f}")
    return (
        f"\n### {timestamp(when)} · {t(lang, 'raw.run')}\n"
        f"<!-- dockerlab:run {meta} -->\n\n"
        f"{cmd_fence}console\n$ {entry.command}\n{cmd_fence}\n\n"
        f"- {t(lang, 'raw.exit_code')}: **{entry.exit_code}**"
        f"{f' ({entry.signal})' if entry.signal else ''}"
        f" · {t(lang, 'raw.duration')}: {seconds}\n\n"
        f"{out_fence}text\n{output.rstrip(chr(10))}\n{out_fence}\n"
    )


def format_note_line(text: str, when: datetime) -> str:
    """A timestamped list item; extra lines are indented so they stay in the item."""
    first, *rest = text.strip().splitlines() or [""]
    lines = [f"- [{when.strftime('%Y-%m-%d %H:%M')}] {first}"] + [f"  {line}" for line in rest]
    return "\n".join(lines) + "\n"


def append_raw(topic_dir: Path, lang: str, block: str, label: str, title: str, today: str) -> None:
    """Append ``block`` to the topic's notes-raw.md (locked, in place; recreated if deleted)."""
    header = render_raw_notes(lang, label, title, today)
    append_text(topic_dir / RAW_NAME, block, header)


def append_note(topic_dir: Path, lang: str, line: str, label: str, title: str, today: str) -> None:
    """Append a note line, after a blank line unless it continues a list of notes."""

    def separator(existing: str) -> str:
        # Without the blank line a note right after a code fence or paragraph would
        # be glued to it; consecutive notes stay one Markdown list. Decided under
        # the lock, from what is in the file now.
        last = existing.rstrip("\n").rsplit("\n", 1)[-1]
        return "" if NOTE_RE.match(last) or last.startswith("  ") else "\n"

    header = render_raw_notes(lang, label, title, today)
    append_text(topic_dir / RAW_NAME, line, header, before=separator)


def _goal_prefixes() -> list[str]:
    # Accept the goal label of every language: a lab may switch language later.
    return [f"- {t(lang, 'raw.goal')}:" for lang in LANGUAGES]


def parse_raw(text: str) -> RawNotes:
    """Read goal line, run blocks and note lines back from notes-raw.md."""
    result = RawNotes()
    lines = text.splitlines()
    prefixes = _goal_prefixes()
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        goal_prefix = next((p for p in prefixes if stripped.startswith(p)), None)
        if goal_prefix and not result.goal:
            result.goal = stripped[len(goal_prefix) :].strip()
        elif match := RUN_MARKER_RE.match(stripped):
            entry, i = _read_run(lines, i + 1, match.group(1))
            if entry:
                result.runs.append(entry)
            continue
        elif match := NOTE_RE.match(line):
            note = [match.group(2)]
            while i + 1 < len(lines) and lines[i + 1].startswith("  ") and lines[i + 1].strip():
                i += 1
                note.append(lines[i].strip())
            result.notes.append(" ".join(note).strip())
        i += 1
    return result


def _read_run(lines: list[str], i: int, payload: str) -> tuple[RunEntry | None, int]:
    """Parse the run block whose marker precedes ``lines[i]``; return it and the next index."""
    try:
        meta = json.loads(payload)
        command, exit_code, duration = str(meta["cmd"]), int(meta["exit"]), float(meta["duration"])
        sig = str(meta["signal"]) if meta.get("signal") else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, i
    # The output is the first ```text fence after the marker, before the next heading.
    while i < len(lines) and not lines[i].startswith("### "):
        fence = FENCE_RE.match(lines[i])
        if fence and fence.group(2).strip() == "text":
            closing = fence.group(1)
            body = []
            i += 1
            while i < len(lines) and lines[i].rstrip() != closing:
                body.append(lines[i])
                i += 1
            return RunEntry(command, exit_code, duration, "\n".join(body), sig), i + 1
        if fence:
            # Skip the command fence (or any other) as a whole.
            closing = fence.group(1)
            i += 1
            while i < len(lines) and lines[i].rstrip() != closing:
                i += 1
        i += 1
    return RunEntry(command, exit_code, duration, "", sig), i
