"""``dockerlab layers``: record an image's layers (``docker history``, ``dive --ci``).

The layers lesson is about what each instruction adds to the image; these two
tools show it. Which image: the one named, else the last ``docker build -t``
recorded in the topic.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess

from .errors import DockerlabError
from .rawnotes import RawNotes

BUILD_WORDS = {("docker", "build"), ("docker", "buildx"), ("docker", "image"), ("podman", "build")}
DAEMON_CHECK_TIMEOUT = 20


def last_built_image(raw: RawNotes) -> str | None:
    """The tag of the last ``docker build -t NAME`` recorded (successful ones only)."""
    for entry in reversed(raw.runs):
        if entry.exit_code != 0:
            continue
        try:
            words = shlex.split(entry.command)
        except ValueError:
            continue
        names = [w.rsplit("/", 1)[-1] for w in words[:2]]
        if len(names) < 2 or tuple(names) not in BUILD_WORDS or "build" not in words:
            continue
        for i, word in enumerate(words):
            if word in ("-t", "--tag") and i + 1 < len(words):
                return words[i + 1]
            if word.startswith("--tag="):
                return word.split("=", 1)[1]
            if word.startswith("-t") and len(word) > 2:
                return word[2:]
    return None


def docker_binary() -> str:
    """The docker CLI, or an error saying it is missing."""
    found = shutil.which("docker")
    if not found:
        raise DockerlabError("docker is not installed (no docker on PATH); nothing was recorded")
    return found


def check_daemon(docker: str) -> None:
    """Raise a clear error when no Docker daemon answers (before anything is recorded)."""
    try:
        proc = subprocess.run(
            [docker, "version", "--format", "{{.Server.Version}}"],
            capture_output=True,
            text=True,
            timeout=DAEMON_CHECK_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DockerlabError(
            "the Docker daemon did not answer within {seconds} s; nothing was recorded",
            seconds=DAEMON_CHECK_TIMEOUT,
        ) from None
    except OSError as exc:
        raise DockerlabError(
            "cannot run docker: {reason}", reason=exc.strerror or str(exc)
        ) from None
    if proc.returncode != 0 or not proc.stdout.strip():
        reason = next(
            (line.strip() for line in proc.stderr.splitlines() if line.strip()),
            f"exit code {proc.returncode}",
        )
        raise DockerlabError(
            "no Docker daemon reachable ({reason}); start Docker or set DOCKER_HOST, "
            "then run dockerlab layers again (nothing was recorded)",
            reason=reason[:200],
        )


def layer_commands(image: str) -> tuple[list[list[str]], bool]:
    """The commands to record (by name, as the learner would type them) and whether dive is there.

    ``docker history --no-trunc`` always; ``dive --ci`` when dive is installed.
    """
    commands = [["docker", "history", "--no-trunc", image]]
    has_dive = shutil.which("dive") is not None
    if has_dive:
        commands.append(["dive", "--ci", image])
    return commands, has_dive
