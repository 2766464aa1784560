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
