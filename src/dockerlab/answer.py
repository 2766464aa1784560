"""Checking the model's answer before it may replace notes.md.

A cut-off answer, an answer without the lab's five sections (or with them in
another language), or one wrapped in chatter is refused with the reason;
notes.md then stays as it was.
"""

from __future__ import annotations

import re

from .errors import DockerlabError
from .i18n import catalog, t
from .sections import SECTION_KEYS, section_key, split_sections

# finish_reason values that mean "the model ended its answer itself".
COMPLETE_REASONS = {None, "stop", "eos", "end_turn", "stop_sequence"}
# Closing lines chat models add after the document.
CHATTER_RE = re.compile(
    r"^(?:let me know|i hope (?:this|that) helps|feel free to|if you (?:have|need|want)"
    r"|hope this helps|도움이 되|궁금한 (?:점|것)|추가로 (?:필요|궁금))",
    re.IGNORECASE,
)


def _refuse(lang: str, reason: str) -> DockerlabError:
    return DockerlabError(t(lang, "answer.refused", reason=reason))


def check_finish(lang: str, finish_reason: str | None) -> None:
    """Refuse an answer the model did not finish (cut off by its length limit, filtered)."""
    if finish_reason not in COMPLETE_REASONS:
        key = "answer.cut_off" if finish_reason == "length" else "answer.unfinished"
        raise _refuse(lang, t(lang, key, reason=finish_reason))


def check_answer(lang: str, text: str) -> None:
    """Refuse a note that is not the lab's five sections, in order, in the lab's language."""
    preamble, sections = split_sections(text)
    stray = [line.strip() for line in preamble.splitlines()[1:] if line.strip()]
    if stray:
        raise _refuse(lang, t(lang, "answer.chatter", text=stray[0][:60]))
    titles = catalog(lang)["sections"]
    keys = [section_key(lang, section.heading) for section in sections]
    unknown = [s.heading for s, key in zip(sections, keys, strict=True) if key is None]
    missing = [titles[key] for key in SECTION_KEYS if key not in keys]
    if missing:
        raise _refuse(
            lang,
            t(
                lang,
                "answer.missing",
                missing=", ".join(missing),
                found=", ".join(s.heading for s in sections) or "-",
            ),
        )
    if unknown:
        raise _refuse(lang, t(lang, "answer.unknown", heading=unknown[0]))
    if keys != list(SECTION_KEYS):
        raise _refuse(lang, t(lang, "answer.order", order=" / ".join(titles.values())))
    last_lines = [line.strip() for line in sections[-1].body.splitlines() if line.strip()]
    if last_lines and CHATTER_RE.match(last_lines[-1]):
        raise _refuse(lang, t(lang, "answer.chatter", text=last_lines[-1][:60]))
