"""Fitting the raw notes into the model's context: ``[llm] max_input_tokens``.

Local servers truncate an oversized prompt silently (Ollama keeps the *end* of
it), so the summary would be made from a fragment without anyone knowing. The
prompt is measured first; when it is too big, the recorded command outputs are
cut down step by step to their head, tail and error lines, and what was cut is
said in the prompt and to the user.
"""

from __future__ import annotations

from dataclasses import dataclass

from .offline import ERROR_LINE_RE
from .rawnotes import FENCE_RE, RUN_MARKER_RE

# (head, tail, error lines) kept of each command's output, from mild to severe.
LEVELS = [(20, 20, 12), (10, 10, 8), (5, 5, 5), (2, 2, 3), (0, 0, 2), (0, 0, 0)]


def estimate_tokens(text: str) -> int:
    """A cautious token count: ~4 characters per token for ASCII, one per other character.

    Tokenizers differ; this errs on the high side for Korean (a Hangul syllable
    is one to three tokens), which is the safe side for a budget.
    """
    ascii_chars = sum(1 for ch in text if ord(ch) < 128)
    return (ascii_chars + 3) // 4 + (len(text) - ascii_chars)


@dataclass(frozen=True)
class Condensed:
    """The raw notes as they will be sent, and what was left out to fit."""

    text: str
    runs_cut: int
    lines_left_out: int


def _condense_output(lines: list[str], head: int, tail: int, errors: int, marker: str):
    if len(lines) <= head + tail + errors:
        return lines, 0
    middle = lines[head : len(lines) - tail] if tail else lines[head:]
    kept_errors = [line for line in middle if ERROR_LINE_RE.search(line)][:errors]
    left_out = len(middle) - len(kept_errors)
    out = lines[:head] + [marker.format(count=left_out)] + kept_errors
    out += lines[len(lines) - tail :] if tail else []
    return out, left_out


def condense_raw(raw: str, level: int, marker: str) -> Condensed:
    """``raw`` with every run block's output cut to ``LEVELS[level]`` (commands and notes kept)."""
    head, tail, errors = LEVELS[level]
    lines = raw.splitlines()
    out: list[str] = []
    runs_cut = left_total = 0
    i = 0
    in_run = False
    while i < len(lines):
        line = lines[i]
        if RUN_MARKER_RE.match(line.strip()):
            in_run = True
        elif line.startswith("### "):
            in_run = False
        fence = FENCE_RE.match(line)
        if fence and in_run and fence.group(2).strip() == "text":
            closing = fence.group(1)
            body = []
            j = i + 1
            while j < len(lines) and lines[j].rstrip() != closing:
                body.append(lines[j])
                j += 1
            kept, left_out = _condense_output(body, head, tail, errors, marker)
            if left_out:
                runs_cut += 1
                left_total += left_out
            out += [line, *kept]
            if j < len(lines):
                out.append(lines[j])
            i = j + 1
            in_run = False
            continue
        out.append(line)
        i += 1
    return Condensed("\n".join(out) + "\n", runs_cut, left_total)


def fit_raw(raw: str, overhead_tokens: int, budget: int, marker: str) -> Condensed | None:
    """The raw notes cut just enough to fit ``budget`` tokens with the rest of the prompt.

    ``None`` when even the most severe cut does not fit (the notes themselves are too long).
    """
    if overhead_tokens + estimate_tokens(raw) <= budget:
        return Condensed(raw, 0, 0)
    for level in range(len(LEVELS)):
        condensed = condense_raw(raw, level, marker)
        if overhead_tokens + estimate_tokens(condensed.text) <= budget:
            return condensed
    return None
