"""``dockerlab run``: run a command, stream its output, keep a trimmed clean copy.

The output goes to the terminal unchanged while it arrives; the copy kept for
notes-raw.md has ANSI escapes removed, progress-bar redraws collapsed, very
long lines cut, and only the head and tail of very long output.

The command runs like one typed at the prompt: on a pseudo-terminal (unless
``--no-tty``), in its own process group, which gets the SIGINT / SIGTERM / SIGHUP
that reach dockerlab. dockerlab keeps reading and recording until the command
exits, sends SIGKILL to the group only after a grace period, and writes the
record on every path. A reader that goes away (``| head``) stops the echo, not
the recording.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fcntl
import os
import pty
import re
import select
import shlex
import signal
import struct
import subprocess
import sys
import termios
import time
from collections import deque
from dataclasses import dataclass, field
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


FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# After the command itself exited, output still arriving from a background child
# that holds the terminal open is read for at most this long.
DRAIN_SECONDS = 1.0


@dataclass(frozen=True)
class RunOutcome:
    """The finished command as recorded, plus the exit code dockerlab should return."""

    entry: RunEntry
    exit_code: int


class SignalRelay:
    """Catches SIGINT/SIGTERM/SIGHUP for dockerlab and hands them to the command's group.

    Held around the run *and* the writing of its record, so that a second Ctrl-C
    or a SIGTERM can never stop dockerlab between the command's end and the record.
    """

    def __init__(self) -> None:
        self.pending: list[int] = []
        self.received: list[int] = []
        self._previous: dict[int, object] = {}

    def __enter__(self) -> SignalRelay:
        for sig in FORWARDED_SIGNALS:
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame) -> None:  # noqa: ARG002 - signal API
        self.pending.append(signum)
        self.received.append(signum)

    def take(self) -> list[int]:
        """The signals received since the last call."""
        taken, self.pending = self.pending, []
        return taken

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def _exit_status(returncode: int) -> int:
    # Popen reports death by signal as -N; shells report 128+N, which is what
    # people know from `echo $?` and what dockerlab returns.
    return 128 - returncode if returncode < 0 else returncode


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _terminal_size() -> bytes:
    for stream in (sys.stdout, sys.stdin, sys.stderr):
        try:
            return fcntl.ioctl(stream.fileno(), termios.TIOCGWINSZ, b"\0" * 8)
        except (OSError, ValueError, AttributeError):
            continue
    return struct.pack("HHHH", 24, 80, 0, 0)


def _open_pty() -> tuple[int, int]:
    """A pseudo-terminal pair sized like the user's terminal, with output passed through.

    ONLCR is switched off so the program's "\n" reaches dockerlab as "\n": the
    user's own terminal adds its "\r", and a file or pipe gets the same bytes as
    without dockerlab.
    """
    master, slave = pty.openpty()
    with contextlib.suppress(OSError):
        fcntl.ioctl(slave, termios.TIOCSWINSZ, _terminal_size())
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.ONLCR
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    return master, slave


def _take_terminal() -> None:
    # In the child, after setsid(): make the pty (now on fd 1) the controlling
    # terminal, so /dev/tty and job control work as in a shell.
    with contextlib.suppress(OSError):
        fcntl.ioctl(1, termios.TIOCSCTTY, 0)


class _Echo:
    """The user's stdout; a reader that went away (``| head``) ends the echo, not the run."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream: BinaryIO | None = stream
        self.closed_after: int | None = None

    def write(self, data: bytes, lines_so_far: int) -> None:
        if self.stream is None:
            return
        try:
            self.stream.write(data)
            self.stream.flush()
        except (OSError, ValueError):
            # EPIPE (`| head` left), EIO (the terminal was closed: SIGHUP), ValueError
            # (a closed file object): the output has nowhere to go, the record goes on.
            self.stream = None
            self.closed_after = lines_so_far


def _kill_group(pgid: int, sig: int) -> bool:
    """Send ``sig`` to the process group; False if nobody is left in it."""
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class _Progress:
    events: list[str] = field(default_factory=list)
    first_signal_at: float | None = None
    killed: bool = False


def run_command(
    argv: list[str],
    cwd: str | os.PathLike[str],
    echo: BinaryIO,
    lang: str,
    head: int,
    tail: int,
    max_line_chars: int,
    *,
    tty: bool = True,
    grace: float = 10.0,
    relay: SignalRelay | None = None,
) -> RunOutcome:
    """Run ``argv`` in ``cwd``, stream stdout+stderr to ``echo`` and return the trimmed record.

    ``relay`` (held by the caller around the run and the write of the record)
    collects the signals to forward; without one, a relay is set up for the run.
    """
    if relay is None:
        with SignalRelay() as own:
            return run_command(
                argv,
                cwd,
                echo,
                lang,
                head,
                tail,
                max_line_chars,
                tty=tty,
                grace=grace,
                relay=own,
            )
    capture = OutputCapture(head, tail, max_line_chars, t(lang, "raw.line_cut"))
    command = shlex.join(argv)
    started = time.monotonic()
    out = _Echo(echo)
    master = slave = None
    try:
        if tty:
            master, slave = _open_pty()
            # stdin stays the user's: typing into an interactive command still works.
            proc = subprocess.Popen(
                argv,
                cwd=cwd,
                stdout=slave,
                stderr=slave,
                start_new_session=True,
                preexec_fn=_take_terminal,
            )
        else:
            # stderr is merged into stdout so the record keeps the order the user saw.
            proc = subprocess.Popen(
                argv,
                cwd=cwd,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
    except (FileNotFoundError, PermissionError, NotADirectoryError) as exc:
        for fd in (master, slave):
            if fd is not None:
                os.close(fd)
        if isinstance(exc, FileNotFoundError):
            message, code = t(lang, "raw.not_found", command=argv[0]), 127
        else:
            message, code = f"dockerlab: {exc.strerror}: {argv[0]}", 126
        out.write((message + "\n").encode(), 0)
        return RunOutcome(RunEntry(command, code, time.monotonic() - started, message), code)
    if slave is not None:
        os.close(slave)  # only the child holds it now, so its exit ends our reads
    fd = master if master is not None else proc.stdout.fileno()
    pgid = proc.pid  # start_new_session: the child leads its own group
    progress = _Progress()
    try:
        returncode = _pump(proc, fd, pgid, out, capture, lang, grace, relay, started, progress)
    finally:
        if master is not None:
            os.close(master)
        if proc.stdout is not None:
            proc.stdout.close()
    duration = time.monotonic() - started
    capture.close()
    events = progress.events
    if out.closed_after is not None:
        events.append(t(lang, "raw.reader_closed", lines=out.closed_after))
    output = capture.text(t(lang, "raw.omitted"))
    if events:
        output = (output + "\n" if output else "") + "\n".join(events)
    status = _exit_status(returncode)
    signal_name = _signal_name(-returncode) if returncode < 0 else None
    return RunOutcome(RunEntry(command, status, duration, output, signal_name), status)


def _pump(proc, fd, pgid, out, capture, lang, grace, relay, started, progress) -> int:
    """Copy output until the command and its output are done; forward signals meanwhile."""
    leader_done_at: float | None = None
    last_data = time.monotonic()
    while True:
        now = time.monotonic()
        for sig in relay.take():
            if leader_done_at is None:
                _kill_group(pgid, sig)
                progress.events.append(
                    t(
                        lang,
                        "raw.forwarded",
                        signal=_signal_name(sig),
                        seconds=f"{now - started:.1f}",
                    )
                )
                if progress.first_signal_at is None:
                    progress.first_signal_at = now
        if (
            progress.first_signal_at is not None
            and not progress.killed
            and leader_done_at is None
            and now - progress.first_signal_at >= grace
        ):
            _kill_group(pgid, signal.SIGKILL)
            progress.killed = True
            progress.events.append(t(lang, "raw.killed", grace=f"{grace:g}"))
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError as exc:
                if exc.errno != errno.EIO:  # EIO: the pty's last writer closed it
                    raise
                chunk = b""
            if not chunk:
                break
            last_data = time.monotonic()
            out.write(chunk, capture.total)
            capture.feed(chunk)
        if leader_done_at is None and proc.poll() is not None:
            leader_done_at = time.monotonic()
        if leader_done_at is not None:
            # Done, unless a background child still writes: read it for a moment only.
            quiet = time.monotonic() - max(leader_done_at, last_data) > DRAIN_SECONDS / 4
            if quiet or time.monotonic() - leader_done_at > DRAIN_SECONDS:
                break
    returncode = proc.wait()
    if progress.first_signal_at is not None:
        # An interrupted experiment leaves nothing behind: whatever of its group is
        # still running (a background child) goes too.
        _kill_group(pgid, signal.SIGKILL)
    return returncode
