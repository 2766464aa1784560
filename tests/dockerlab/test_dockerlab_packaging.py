"""dockerlab installs on its own: ``pip install ./dockerlab`` into a fresh virtualenv
brings click, httpx and dockerfile-parse, and none of indexdrift's PyMySQL, psycopg,
sqlglot and XlsxWriter; the installed console script then works end to end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
INDEXDRIFT_ONLY = ["pymysql", "psycopg", "sqlglot", "xlsxwriter"]


def test_dockerlab_pyproject_declares_only_what_dockerlab_imports():
    project = tomllib.loads((REPO / "dockerlab" / "pyproject.toml").read_text())["project"]
    names = sorted(dep.split(">")[0].split("[")[0].lower() for dep in project["dependencies"])
    assert names == ["click", "dockerfile-parse", "httpx"]
    assert project["scripts"] == {"dockerlab": "dockerlab.cli:main"}


def _clean_env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}"
    return env


@pytest.mark.skipif(os.environ.get("DOCKERLAB_SKIP_INSTALL") == "1", reason="asked to skip")
def test_installs_into_a_fresh_venv_without_indexdrifts_dependencies(tmp_path):
    # Build from a copy, so the build leaves nothing in the repository.
    (tmp_path / "repo" / "src").mkdir(parents=True)
    shutil.copytree(REPO / "dockerlab", tmp_path / "repo" / "dockerlab")
    shutil.copytree(
        REPO / "src" / "dockerlab",
        tmp_path / "repo" / "src" / "dockerlab",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = _clean_env(venv)
    python = str(venv / "bin" / "python")
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", str(tmp_path / "repo" / "dockerlab")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if install.returncode != 0 and "No matching distribution" in install.stderr:
        pytest.skip("no package index reachable for click/httpx/dockerfile-parse")
    assert install.returncode == 0, install.stderr

    probe = (
        "import importlib.util, sys\n"
        f"absent = [m for m in {INDEXDRIFT_ONLY!r} if importlib.util.find_spec(m)]\n"
        "assert not absent, absent\n"
        "import dockerlab, dockerlab.cli, dockerlab.llm\n"
        "assert dockerlab.__file__.startswith(sys.prefix), dockerlab.__file__\n"
        "print('ok')\n"
    )
    checked = subprocess.run(
        [python, "-c", probe], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert checked.stdout == "ok\n", checked.stderr

    # The installed console script, end to end, in a Korean lab.
    dockerlab = str(venv / "bin" / "dockerlab")
    lab = tmp_path / "lab"

    def run(*args):
        return subprocess.run(
            [dockerlab, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
        )

    assert run("init", str(lab), "--lang", "ko").returncode == 0
    assert run("--lab", str(lab), "new", "컨테이너 기초").returncode == 0
    ran = run("--lab", str(lab), "run", "-t", "001", "--", "echo", "hello")
    assert ran.returncode == 0 and ran.stdout == "hello\n", ran.stderr
    assert run("--lab", str(lab), "summarize", "001", "--offline").returncode == 0
    assert run("--lab", str(lab), "check", "001", "--no-hadolint").returncode == 0
    assert run("--lab", str(lab), "index").returncode == 0
    assert "| 001 | 컨테이너 기초 | summarized |" in (lab / "README.md").read_text()
