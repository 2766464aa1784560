"""End to end through a real process (``python -m dockerlab``), not click's test runner."""

from __future__ import annotations

import os
import subprocess
import sys

from dockerlab_helpers import CLEAN_ENV


def run_dockerlab(*args: str, cwd) -> subprocess.CompletedProcess:
    """Run dockerlab as a separate process with a clean environment."""
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    return subprocess.run(
        [sys.executable, "-m", "dockerlab", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_whole_session(tmp_path):
    lab = tmp_path / "docker-lab"
    assert run_dockerlab("init", str(lab), "--lang", "en", cwd=tmp_path).returncode == 0
    assert run_dockerlab("new", "container basics", cwd=lab).returncode == 0
    topic = lab / "topics" / "001-container-basics"

    ok = run_dockerlab("run", "--", sys.executable, "-c", "print('up and running')", cwd=topic)
    assert ok.returncode == 0 and ok.stdout == "up and running\n"
    failed = run_dockerlab("run", "--", sys.executable, "-c", "raise SystemExit(4)", cwd=topic)
    assert failed.returncode == 4
    assert "(exit 4," in failed.stderr
    assert run_dockerlab("note", "PID 1 matters", cwd=topic).returncode == 0
    assert run_dockerlab("summarize", "--offline", cwd=topic).returncode == 0
    assert run_dockerlab("index", cwd=lab).returncode == 0
    assert "| 001 | container basics | summarized |" in (lab / "README.md").read_text()
    assert run_dockerlab("check", "001", "--no-hadolint", cwd=lab).returncode == 0

    notes = (topic / "notes.md").read_text()
    assert "`" + sys.executable + " -c 'raise SystemExit(4)'` → exit 4" in notes
    assert "- PID 1 matters" in notes
