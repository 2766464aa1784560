"""``pip install .`` gives indexdrift alone: no dockerlab package or command, and none of
dockerlab's dependencies (httpx, dockerfile-parse); the installed command runs the README's
first example. dockerlab is its own distribution (dockerlab/pyproject.toml)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCKERLAB_ONLY = ["httpx", "dockerfile_parse", "dockerlab"]


def _pyproject() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text())


def test_pyproject_leaves_dockerlab_out():
    data = _pyproject()
    deps = [re.split(r"[<>=\[ ;]", dep)[0].lower() for dep in data["project"]["dependencies"]]
    assert "httpx" not in deps and "dockerfile-parse" not in deps
    assert data["project"]["scripts"] == {"indexdrift": "indexdrift.cli.main:main"}
    assert data["tool"]["setuptools"]["packages"]["find"]["include"] == ["indexdrift*"]


def test_indexdrift_never_imports_dockerlab_or_its_dependencies():
    pattern = re.compile(r"^\s*(?:import|from)\s+(dockerlab|httpx|dockerfile_parse)\b", re.M)
    offenders = [
        str(path.relative_to(REPO))
        for path in (REPO / "src" / "indexdrift").rglob("*.py")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_readme_starts_with_the_two_setup_commands():
    readme = (REPO / "README.md").read_text()
    block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1).splitlines()
    assert block[0].startswith("python3 -m venv .venv && .venv/bin/pip install -q . && ")
    assert block[0].split(" && ")[-1].startswith(".venv/bin/indexdrift compare examples/")
    assert block[1] == "scripts/test"


def _clean_env(venv: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}"
    return env


@pytest.mark.skipif(os.environ.get("INDEXDRIFT_SKIP_INSTALL") == "1", reason="asked to skip")
def test_installs_into_a_fresh_venv_without_dockerlab(tmp_path):
    # Build from a copy (src/dockerlab included, as in the repository), so the build leaves
    # nothing behind in the repository and the package find really has to exclude dockerlab.
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, repo / name)
    for package in ("indexdrift", "dockerlab"):
        shutil.copytree(
            REPO / "src" / package,
            repo / "src" / package,
            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
        )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    env = _clean_env(venv)
    python = str(venv / "bin" / "python")
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", str(repo)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if install.returncode != 0 and "No matching distribution" in install.stderr:
        pytest.skip("no package index reachable for indexdrift's dependencies")
    assert install.returncode == 0, install.stderr

    probe = (
        "import importlib.util\n"
        f"present = [m for m in {DOCKERLAB_ONLY!r} if importlib.util.find_spec(m)]\n"
        "print(present)\n"
    )
    checked = subprocess.run(
        [python, "-c", probe], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert checked.stdout == "[]\n", checked.stderr
    assert not (venv / "bin" / "dockerlab").exists()

    indexdrift = str(venv / "bin" / "indexdrift")
    helped = subprocess.run(
        [indexdrift, "--help"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert helped.returncode == 0, helped.stderr
    assert "compare" in helped.stdout

    # The README's first command, from the repository root: drift in the examples, exit 1.
    examples = [f"examples/indexes_{env_name}.csv" for env_name in ("prd", "stg", "dev")]
    compared = subprocess.run(
        [indexdrift, "compare", *examples],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert compared.returncode == 1, compared.stderr
    assert "dev" in compared.stdout
