"""``dockerlab run``: run a command, stream its output, keep a trimmed clean copy.

The output goes to the terminal unchanged while it arrives; the copy kept for
notes-raw.md has ANSI escapes removed, progress-bar redraws collapsed, very
long lines cut, and only the head and tail of very long output.
"""

from __future__ import annotations

import codecs
import os
import re
import shlex
import signal
import subprocess
import time
from collections import deque
from dataclasses import dataclass
from typing import BinaryIO

from .i18n import t
from .rawnotes import RunEntry

ANSI_RE = re.compile(
    r"""
      \x1b\[[0-?]*[ -/]*[@-~]            # CSI: colours, cursor moves, line clears
    | \x1b\][^\x07\x1b]*(?:\x07|\x1b\\)  # OSC: window titles, hyperlinks
    | \x1b[@-Z\\-_]                      # other two-character escapes
    """,
    re.VERBOSE,
)
# Control characters other than tab: they render as garbage in Markdown.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_line(line: str) -> str:
    """Strip ANSI escapes and keep what a terminal would finally show on a redrawn line."""
    line = ANSI_RE.sub("", line).rstrip("\r")  # rstrip: CRLF line endings
    if "\r" in line:
        # Progress bars redraw one line with "\r"; the last redraw is what the user saw.
        line = line.rsplit("\r", 1)[-1]
    return CONTROL_RE.sub("", line)


class OutputCapture:
    """Collects output incrementally, keeping only ``head`` + ``tail`` clean lines in memory."""

    def __init__(self, head: int, tail: int, max_line_chars: int, line_cut_marker: str) -> None:
        self.head_limit = head
        self.head: list[str] = []
        self.tail: deque[str] = deque(maxlen=tail)
        self.total = 0
        self.max_line_chars = max_line_chars
        self.line_cut_marker = line_cut_marker
        # Bytes can split a UTF-8 character between reads; the incremental decoder copes.
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._partial = ""
        self._partial_cap = max(65536, max_line_chars * 4)

    def feed(self, data: bytes) -> None:
        """Add a chunk of raw output bytes."""
        text = self._partial + self._decoder.decode(data)
        *lines, self._partial = text.split("\n")
        for line in lines:
            self._add(line)
        if len(self._partial) > self._partial_cap:
            # A line without "\n" (a progress bar redrawn with "\r" for minutes)
            # must not grow without bound: keep from the last redraw, then cap.
            cut = self._partial.rfind("\r", 0, len(self._partial) - 1)
            if cut > 0:
                self._partial = self._partial[cut:]
            self._partial = self._partial[: self._partial_cap]

    def close(self) -> None:
        """Flush the last line if the output did not end with a newline."""
        rest = self._partial + self._decoder.decode(b"", final=True)
        self._partial = ""
        if rest:
            self._add(rest)

    def _add(self, raw: str) -> None:
        line = clean_line(raw)
        if len(line) > self.max_line_chars:
            line = line[: self.max_line_chars] + self.line_cut_marker
        self.total += 1
        if len(self.head) < self.head_limit:
            self.head.append(line)
        else:
            self.tail.append(line)

    @property
    def omitted(self) -> int:
        """How many lines were dropped between head and tail."""
        return self.total - len(self.head) - len(self.tail)

    def text(self, omitted_marker: str) -> str:
        """The kept output; ``omitted_marker`` may use ``{count}``, ``{head}`` and ``{tail}``."""
        lines = list(self.head)
        if self.omitted:
            lines.append(
                omitted_marker.format(count=self.omitted, head=len(self.head), tail=len(self.tail))
            )
        lines.extend(self.tail)
        return "\n".join(lines)


@dataclass(frozen=True)
class RunOutcome:
    """The finished command as recorded, plus the exit code dockerlab should return."""

    entry: RunEntry
    exit_code: int


def _exit_status(returncode: int) -> int:
    # Popen reports death by signal as -N; shells report 128+N, which is what
    # people know from `echo $?` and what dockerlab returns.
    return 128 - returncode if returncode < 0 else returncode


def run_command(
    argv: list[str],
    cwd: str | os.PathLike[str],
    echo: BinaryIO,
    lang: str,
    head: int,
    tail: int,
    max_line_chars: int,
) -> RunOutcome:
    """Run ``argv`` in ``cwd``, stream stdout+stderr to ``echo`` and return the trimmed record."""
    capture = OutputCapture(head, tail, max_line_chars, t(lang, "raw.line_cut"))
    command = shlex.join(argv)
    started = time.monotonic()
    try:
        # stderr is merged into stdout so the record keeps the order the user saw.
        proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except FileNotFoundError:
        message = t(lang, "raw.not_found", command=argv[0])
        echo.write((message + "\n").encode())
        echo.flush()
        return RunOutcome(RunEntry(command, 127, time.monotonic() - started, message), 127)
    except PermissionError as exc:
        message = f"dockerlab: {exc.strerror}: {argv[0]}"
        echo.write((message + "\n").encode())
        echo.flush()
        return RunOutcome(RunEntry(command, 126, time.monotonic() - started, message), 126)

    assert proc.stdout is not None
    interrupted = False
    try:
        while chunk := os.read(proc.stdout.fileno(), 65536):
            echo.write(chunk)
            echo.flush()
            capture.feed(chunk)
        returncode = proc.wait()
    except KeyboardInterrupt:
        # Ctrl-C reached the child as well (same process group). Give it a
        # moment to exit so the record still gets written, then make sure.
        interrupted = True
        try:
            returncode = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            returncode = proc.wait()
        if returncode == 0:
            returncode = -signal.SIGINT
    finally:
        proc.stdout.close()
    duration = time.monotonic() - started
    capture.close()
    output = capture.text(t(lang, "raw.omitted"))
    if interrupted:
        output = (output + "\n" if output else "") + t(lang, "raw.interrupted")
    status = _exit_status(returncode)
    return RunOutcome(RunEntry(command, status, duration, output), status)
