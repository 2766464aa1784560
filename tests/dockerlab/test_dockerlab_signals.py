"""Signals, pipes and the terminal: real dockerlab processes, real signals sent to them,
real child process groups, a real pseudo-terminal."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest
from dockerlab_helpers import invoke, make_lab, spawn_dockerlab, write_config

from dockerlab.rawnotes import parse_raw

PY = sys.executable

GRACEFUL = """
import signal, sys, time
def stop(signum, frame):
    print("shutting down on", signal.Signals(signum).name, flush=True)
    for i in range(4):
        time.sleep(0.4)
        print("cleanup", i, flush=True)
    print("bye", flush=True)
    sys.exit(0)
signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)
print("ready", flush=True)
while True:
    time.sleep(0.1)
"""

STUBBORN = """
import os, signal, subprocess, time
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
child = subprocess.Popen(["sleep", "300"])
print("grandchild", child.pid, flush=True)
print("ready", flush=True)
while True:
    time.sleep(0.1)
"""


def _lab(tmp_path, grace: float = 5):
    root = make_lab(tmp_path)
    write_config(root, f'language = "en"\n[run]\ngrace_seconds = {grace}\n')
    assert invoke(root, "new", "container basics").exit_code == 0
    return root, root / "topics" / "001-container-basics"


def _wait_for(proc, word: str, timeout: float = 20) -> list[str]:
    """Read dockerlab's echoed output until a line contains ``word``."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline().decode()
        assert line, f"output ended before {word!r}: {seen}"
        seen.append(line.rstrip("\n"))
        if word in line:
            return seen
    raise AssertionError(f"no {word!r} within {timeout} s: {seen}")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie is dead, only not yet reaped


def _only_run(topic):
    [entry] = parse_raw((topic / "notes-raw.md").read_text()).runs
    return entry


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_is_forwarded_and_the_graceful_shutdown_is_recorded(tmp_path, sig):
    root, topic = _lab(tmp_path, grace=5)
    proc = spawn_dockerlab("run", "-t", "001", "--", PY, "-c", GRACEFUL, cwd=root)
    _wait_for(proc, "ready")
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err  # the command's own exit code after its clean shutdown
    assert b"bye" in out  # still streamed after the signal
    entry = _only_run(topic)
    lines = entry.output.splitlines()
    assert lines[:2] == ["ready", f"shutting down on {sig.name}"]
    assert "cleanup 3" in lines and "bye" in lines  # the last lines are kept
    assert any(f"{sig.name} at" in line and "forwarded" in line for line in lines)
    assert entry.exit_code == 0 and entry.signal is None


def test_after_the_grace_period_the_whole_group_is_killed_and_recorded(tmp_path):
    root, topic = _lab(tmp_path, grace=1)
    proc = spawn_dockerlab("run", "-t", "001", "--", PY, "-c", STUBBORN, cwd=root)
    seen = _wait_for(proc, "ready")
    grandchild = int(next(line for line in seen if line.startswith("grandchild")).split()[1])
    assert _alive(grandchild)
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)  # a second Ctrl-C must not abort dockerlab
    out, err = proc.communicate(timeout=30)
    assert 1 <= time.monotonic() - started < 10
    assert proc.returncode == 137
    assert b"Aborted" not in err and "recorded in" in err.decode()
    entry = _only_run(topic)
    assert entry.exit_code == 137 and entry.signal == "SIGKILL"
    assert "- exit code: **137** (SIGKILL)" in (topic / "notes-raw.md").read_text()
    assert entry.output.count("SIGINT at") == 2
    assert "still running 1 s after the first signal: sent SIGKILL" in entry.output
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)  # nothing left behind


def test_background_children_of_an_interrupted_shell_are_not_orphaned(tmp_path):
    # A non-interactive sh starts `&` children with SIGINT ignored: they would
    # outlive the interrupted shell.
    root, topic = _lab(tmp_path, grace=3)
    script = "sleep 300 & echo grandchild $!; echo ready; wait"
    proc = spawn_dockerlab("run", "-t", "001", "--", "sh", "-c", script, cwd=root)
    seen = _wait_for(proc, "ready")
    grandchild = int(next(line for line in seen if line.startswith("grandchild")).split()[1])
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=30)
    assert proc.returncode == 130
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)
    entry = _only_run(topic)
    assert entry.exit_code == 130 and entry.signal == "SIGINT"


def test_a_closed_stdout_does_not_stop_the_recording(tmp_path):
    # `dockerlab run -- cmd | head -2`: the reader leaves after two lines.
    root, topic = _lab(tmp_path)
    script = "import time\nfor i in range(300):\n    print('line', i, flush=True)\n"
    script += "    time.sleep(0.002)\n"
    proc = spawn_dockerlab("run", "-t", "001", "--", PY, "-c", script, cwd=root)
    assert proc.stdout.readline() == b"line 0\n"
    assert proc.stdout.readline() == b"line 1\n"
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=30) == 0
    assert "Broken pipe" not in err and "Exception ignored" not in err
    assert "recorded in topics/001-container-basics/notes-raw.md (exit 0" in err
    entry = _only_run(topic)
    assert "line 299" in entry.output
    assert "went away after" in entry.output and "broken pipe" in entry.output


TTY_PROBE = (
    "import sys\n"
    "print('stdout tty:', sys.stdout.isatty())\n"
    "if sys.stdout.isatty(): print('\\x1b[32mgreen\\x1b[0m only on a terminal')\n"
)


def test_the_command_runs_on_a_pseudo_terminal_by_default(tmp_path):
    root, topic = _lab(tmp_path)
    proc = spawn_dockerlab("run", "-t", "001", "--", PY, "-c", TTY_PROBE, cwd=root)
    out, _ = proc.communicate(timeout=30)
    assert out == b"stdout tty: True\n\x1b[32mgreen\x1b[0m only on a terminal\n"  # no "\r"
    entry = _only_run(topic)
    assert entry.output == "stdout tty: True\ngreen only on a terminal"  # ANSI stripped

    proc = spawn_dockerlab("run", "-t", "001", "--no-tty", "--", PY, "-c", TTY_PROBE, cwd=root)
    out, _ = proc.communicate(timeout=30)
    assert out == b"stdout tty: False\n"
    runs = parse_raw((topic / "notes-raw.md").read_text()).runs
    assert runs[-1].output == "stdout tty: False"


def test_the_pty_is_the_commands_controlling_terminal(tmp_path):
    root, topic = _lab(tmp_path)
    script = "import os; os.open('/dev/tty', os.O_WRONLY); print('has /dev/tty')"
    proc = spawn_dockerlab("run", "-t", "001", "--", PY, "-c", script, cwd=root)
    proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert _only_run(topic).output == "has /dev/tty"


def test_grace_seconds_is_validated(tmp_path):
    root = make_lab(tmp_path)
    write_config(root, "[run]\ngrace_seconds = -1\n")
    result = invoke(root, "index")
    assert result.exit_code == 2 and "run.grace_seconds must be" in result.stderr


def test_signals_reach_only_the_run_not_the_test_process(tmp_path):
    # Sanity: the relay restores the previous handlers after an in-process run.
    root, _ = _lab(tmp_path)
    before = signal.getsignal(signal.SIGINT)
    assert invoke(root, "run", "-t", "001", "--", "true").exit_code == 0
    assert signal.getsignal(signal.SIGINT) is before
    assert os.getpgrp() == os.getpgid(0)


def test_a_closed_terminal_and_sighup_still_leave_the_record(tmp_path):
    # The learner closes the terminal window: dockerlab's stdout gives EIO, then SIGHUP.
    import pty as pty_module

    root, topic = _lab(tmp_path, grace=2)
    master, slave = pty_module.openpty()
    script = (
        "import signal, sys, time\n"
        "def hup(*_):\n    print('saving on hangup', flush=True)\n    sys.exit(3)\n"
        "signal.signal(signal.SIGHUP, hup)\n"
        "print('ready', flush=True)\nwhile True:\n    time.sleep(0.05)\n"
    )
    proc = spawn_dockerlab(
        "run", "-t", "001", "--", PY, "-c", script, cwd=root, stdout=slave, stderr=slave
    )
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 20
    while b"ready" not in seen and time.monotonic() < deadline:
        seen += os.read(master, 1024)
    os.close(master)  # the window is gone
    proc.send_signal(signal.SIGHUP)
    assert proc.wait(timeout=30) == 3
    entry = _only_run(topic)
    assert entry.exit_code == 3
    # Its last words could not be shown (EIO) but are recorded.
    assert "saving on hangup" in entry.output and "SIGHUP at" in entry.output
