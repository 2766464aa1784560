"""Shared helpers for the dockerlab tests (a plain module, so no conftest is needed)."""

from __future__ import annotations

import contextlib
from pathlib import Path

from click.testing import CliRunner, Result

from dockerlab.cli import cli

# Variables from the developer's shell must not steer the tests.
CLEAN_ENV: dict[str, str | None] = {
    "DOCKERLAB_LAB": None,
    "DOCKERLAB_LLM_BASE_URL": None,
    "DOCKERLAB_LLM_MODEL": None,
    "DOCKERLAB_LLM_API_KEY": None,
    "OPENAI_API_KEY": None,
}


def invoke(
    root: Path | None, *args: str, cwd: Path | None = None, env: dict | None = None
) -> Result:
    """Run the dockerlab CLI in-process (``--lab root`` first when root is given)."""
    argv = (["--lab", str(root)] if root is not None else []) + list(args)
    with contextlib.chdir(cwd or root or Path.cwd()):
        return CliRunner().invoke(
            cli, argv, env={**CLEAN_ENV, **(env or {})}, catch_exceptions=False
        )


def make_lab(tmp_path: Path, lang: str = "en") -> Path:
    """A fresh lab folder created by ``dockerlab init``."""
    root = tmp_path / "docker-lab"
    result = invoke(None, "init", str(root), "--lang", lang, cwd=tmp_path)
    assert result.exit_code == 0, result.output
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes, to prove a failed command changed nothing."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def write_config(root: Path, text: str) -> None:
    """Replace the lab's config file."""
    (root / "dockerlab.toml").write_text(text, encoding="utf-8")


def run_dockerlab(*args: str, cwd, env: dict | None = None, timeout: float = 60, **kw):
    """Run dockerlab as a separate process (``python -m dockerlab``) with a clean environment."""
    import os
    import subprocess
    import sys

    base = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    return subprocess.run(
        [sys.executable, "-m", "dockerlab", *args],
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        **kw,
    )


def spawn_dockerlab(*args: str, cwd, env: dict | None = None, **kw):
    """Start dockerlab as a separate process and return the Popen (caller waits)."""
    import os
    import subprocess
    import sys

    base = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.PIPE)
    kw.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.Popen(
        [sys.executable, "-m", "dockerlab", *args], cwd=cwd, env={**base, **(env or {})}, **kw
    )
