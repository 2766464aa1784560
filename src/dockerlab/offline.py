"""``summarize --offline``: a deterministic notes.md draft made without any LLM.

It lists the commands run, the errors met and short excerpts of the output,
and leaves the concept and practice sections for the person to write.
"""

from __future__ import annotations

import re

from .i18n import LANGUAGES, catalog, t
from .rawnotes import RawNotes, RunEntry, fence_for, parse_raw
from .templates import topic_heading

# Lines that usually carry the reason a command failed.
ERROR_LINE_RE = re.compile(
    r"error|fail|fatal|denied|not found|no such|cannot|can't|unable|refused"
    r"|panic|exception|traceback|killed",
    re.IGNORECASE,
)
MAX_ERROR_LINES = 8
EXCERPT_HEAD = 3
EXCERPT_TAIL = 3


def _no_output_markers() -> set[str]:
    return {t(lang, "raw.no_output") for lang in LANGUAGES}


def _output_lines(entry: RunEntry) -> list[str]:
    if entry.output.strip() in _no_output_markers():
        return []
    return [line for line in entry.output.splitlines() if line.strip()]


def _error_lines(entry: RunEntry) -> list[str]:
    lines = _output_lines(entry)
    hits = [line for line in lines if ERROR_LINE_RE.search(line)]
    # Without a telltale word, the last lines are where tools print the reason.
    return (hits or lines[-EXCERPT_TAIL:])[:MAX_ERROR_LINES]


def _excerpt(entry: RunEntry) -> list[str]:
    lines = _output_lines(entry)
    if len(lines) <= EXCERPT_HEAD + EXCERPT_TAIL:
        return lines
    return lines[:EXCERPT_HEAD] + ["…"] + lines[-EXCERPT_TAIL:]


def _code_block(lines: list[str], info: str = "text") -> list[str]:
    body = "\n".join(lines)
    fence = fence_for(body)
    return [f"{fence}{info}", body, fence]


def offline_draft(lang: str, label: str, title: str, raw_text: str) -> str:
    """Build the draft notes.md from the text of notes-raw.md (same input, same output)."""
    raw: RawNotes = parse_raw(raw_text)
    sections = catalog(lang)["sections"]
    out = [topic_heading(label, title), "", f"> {t(lang, 'offline.notice')}", ""]

    out += [f"## {sections['goal']}", "", raw.goal or t(lang, "offline.no_goal"), ""]

    out += [f"## {sections['process']}", ""]
    if raw.runs:
        for number, entry in enumerate(raw.runs, 1):
            line = t(
                lang,
                "offline.command_line",
                # One line, no backticks: it sits inside inline code in a list item.
                command=" ".join(entry.command.split()).replace("`", "'"),
                exit=entry.exit_code,
                duration=f"{entry.duration:.1f}",
            )
            out.append(f"{number}. {line}")
    else:
        out.append(t(lang, "offline.no_commands"))
    out.append("")

    out += [f"## {sections['observations']}", ""]
    if raw.notes:
        out += [f"### {t(lang, 'offline.notes_heading')}", ""]
        out += [f"- {note}" for note in raw.notes]
        out.append("")
    out += [f"### {t(lang, 'offline.errors_heading')}", ""]
    failed = [entry for entry in raw.runs if entry.exit_code != 0]
    if failed:
        for entry in failed:
            out += _code_block(
                [
                    f"$ {entry.command}",
                    *_error_lines(entry),
                    f"# {t(lang, 'raw.exit_code')}: {entry.exit_code}",
                ],
                "console",
            )
            out.append("")
    else:
        out += [t(lang, "offline.no_errors"), ""]
    excerpts = [(entry, _excerpt(entry)) for entry in raw.runs if entry.exit_code == 0]
    excerpts = [(entry, lines) for entry, lines in excerpts if lines]
    if excerpts:
        out += [f"### {t(lang, 'offline.excerpts_heading')}", ""]
        for entry, lines in excerpts:
            out += _code_block([f"$ {entry.command}", *lines], "console")
            out.append("")

    out += [f"## {sections['concepts']}", "", t(lang, "offline.fill_concepts"), ""]
    out += [f"## {sections['practice']}", "", t(lang, "offline.fill_practice"), ""]
    return "\n".join(out)
