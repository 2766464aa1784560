"""``dockerlab check``: review a Dockerfile for the lessons a Docker lab teaches.

Rules (each finding comes with a one-paragraph explanation, ko/en):

- ``shell-form``: ENTRYPOINT/CMD in shell form (or ``sh -c`` without ``exec``,
  or a JSON array Docker cannot parse) — PID 1 is a shell.
- ``entrypoint-no-exec``: the entrypoint script starts the app without ``exec``.
- ``copy-before-install``: ``COPY . .`` before the dependency install.
- ``package-cache``: a package manager's cache left in the layer.

The Dockerfile is parsed with ``dockerfile-parse``; the rules work on its
instructions, not on raw text, so continuation lines and comments are handled.
"""

from __future__ import annotations

import io
import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dockerfile_parse import DockerfileParser

from .errors import DockerlabError
from .i18n import catalog

SHELLS = {"sh", "bash", "ash", "dash", "zsh"}
# An `exec` that replaces the shell with a program (not `exec >log 2>&1`, which only redirects).
EXEC_RE = re.compile(r"(?:^|[;&|]\s*|\b(?:then|else|do)\s+)exec\s+(?![0-9]*[<>])\S")
# Several shell commands in one string: the shell must stay around to run them.
SHELL_LIST_RE = re.compile(r"[;&|\n]")
DEPENDENCY_INSTALL_RE = re.compile(
    r"\b(?:pip3?\s+install|python3?\s+-m\s+pip\s+install|poetry\s+install|pipenv\s+install|uv\s+sync"
    r"|npm\s+(?:install|ci|i)\b|yarn(?:\s+install)?\s*(?:$|&&|;|--)|pnpm\s+(?:install|i)\b"
    r"|bundle\s+install|go\s+mod\s+download|composer\s+install|cargo\s+fetch|mvn\s+\S*dependency:)"
)
WHOLE_CONTEXT_SOURCES = {".", "./", "*", "./*", "./."}


@dataclass(frozen=True)
class Finding:
    """One problem found in a Dockerfile."""

    rule: str
    line: int  # 1-based line of the instruction
    title: str
    explanation: str


@dataclass(frozen=True)
class Instruction:
    """A parsed instruction, reduced to what the rules need."""

    name: str
    value: str
    line: int


def parse_instructions(text: str) -> list[Instruction]:
    """Parse Dockerfile text with dockerfile-parse (comments dropped, lines 1-based)."""
    # fileobj keeps dockerfile-parse from looking for (or creating) files on disk.
    parser = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")), env_replace=False)
    try:
        structure = parser.structure
    except Exception as exc:  # the parser raises assorted errors on broken input
        raise DockerlabError(f"cannot parse the Dockerfile: {exc}") from None
    return [
        Instruction(item["instruction"].upper(), item["value"], item["startline"] + 1)
        for item in structure
        if item["instruction"].upper() != "COMMENT"
    ]


def split_stages(instructions: list[Instruction]) -> list[list[Instruction]]:
    """Group instructions by build stage (each FROM starts one)."""
    stages: list[list[Instruction]] = []
    for ins in instructions:
        if ins.name == "FROM" or not stages:
            stages.append([])
        stages[-1].append(ins)
    return stages


def _message(lang: str, rule: str, title_key: str = "title", **params: Any) -> tuple[str, str]:
    rules = catalog(lang)["check"]["rules"][rule]
    return rules[title_key].format(**params), rules["explanation"]


def _finding(lang: str, rule: str, line: int, title_key: str = "title", **params: Any) -> Finding:
    title, explanation = _message(lang, rule, title_key, **params)
    return Finding(rule=rule, line=line, title=title, explanation=explanation)


def exec_form(value: str) -> list[str] | None:
    """The argument list of an exec-form value, or None if Docker would use shell form."""
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    if isinstance(parsed, list) and all(isinstance(arg, str) for arg in parsed):
        return parsed
    return None


def _shell_c_command(args: list[str]) -> str | None:
    """The command string of ``["sh", "-c", "..."]``-style arguments, else None."""
    if (
        len(args) >= 3
        and Path(args[0]).name in SHELLS
        and args[1].startswith("-")
        and "c" in args[1]
    ):
        return args[2]
    return None


def check_shell_form(lang: str, stage: list[Instruction]) -> list[Finding]:
    """ENTRYPOINT/CMD that leave a shell as PID 1."""
    findings = []
    for ins in stage:
        if ins.name not in ("ENTRYPOINT", "CMD") or not ins.value.strip():
            continue
        args = exec_form(ins.value.strip())
        if args is None:
            key = "title_bad_json" if ins.value.strip().startswith("[") else "title"
            findings.append(_finding(lang, "shell-form", ins.line, key, instruction=ins.name))
            continue
        command = _shell_c_command(args)
        # A single simple command is exec'd by most shells anyway; a list of
        # commands keeps the shell alive unless the last one uses exec.
        if command and SHELL_LIST_RE.search(command) and not EXEC_RE.search(command):
            findings.append(
                _finding(lang, "shell-form", ins.line, "title_sh_c", instruction=ins.name)
            )
    return findings


def _program(value: str) -> str | None:
    args = exec_form(value.strip())
    if args is None:
        try:
            args = shlex.split(value)
        except ValueError:
            return None
    return args[0] if args else None


def _find_in_context(context: Path, name: str) -> Path | None:
    direct = [
        p
        for p in sorted(context.rglob(name))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(context).parts)
    ]
    return direct[0] if direct else None


def _is_shell_script(path: Path, text: str) -> bool:
    first = text.splitlines()[0] if text else ""
    if first.startswith("#!"):
        return any(Path(word).name in SHELLS for word in first[2:].split()[:2])
    return path.suffix == ".sh"


def script_execs(text: str) -> bool:
    """True if the shell script hands over to the app with ``exec``."""
    for line in text.splitlines():
        code = line.split("#", 1)[0] if not line.lstrip().startswith("#!") else ""
        if EXEC_RE.search(code.strip()):
            return True
    return False


def check_entrypoint_script(lang: str, stage: list[Instruction], context: Path) -> list[Finding]:
    """An ENTRYPOINT (or CMD) script from the build context that never ``exec``s the app."""
    findings = []
    for ins in stage:
        if ins.name not in ("ENTRYPOINT", "CMD"):
            continue
        program = _program(ins.value)
        if not program or program.startswith("-"):
            continue
        script = _find_in_context(context, Path(program).name)
        if script is None:
            continue  # not a file of this lab (e.g. a binary from the base image)
        text = script.read_text(encoding="utf-8", errors="replace")
        if _is_shell_script(script, text) and not script_execs(text):
            rel = script.relative_to(context).as_posix()
            findings.append(_finding(lang, "entrypoint-no-exec", ins.line, script=rel))
    return findings


def _copy_paths(value: str) -> list[str] | None:
    """Sources and destination of a COPY/ADD from the build context (None for ``--from``)."""
    args = exec_form(value.strip())
    if args is None:
        try:
            args = shlex.split(value)
        except ValueError:
            return []
    if any(arg.startswith("--from") for arg in args):
        return None
    return [arg for arg in args if not arg.startswith("--")]


def check_copy_before_install(lang: str, stage: list[Instruction]) -> list[Finding]:
    """``COPY . .`` followed by a dependency install, with no install before it."""
    findings = []
    installed_before = False
    pending: tuple[Instruction, list[str]] | None = None
    for ins in stage:
        if ins.name == "RUN" and DEPENDENCY_INSTALL_RE.search(ins.value):
            if pending:
                copy, sources = pending
                findings.append(
                    _finding(
                        lang,
                        "copy-before-install",
                        copy.line,
                        sources=" ".join(sources),
                        install_line=ins.line,
                    )
                )
                pending = None
            # Dependencies installed before the whole-context copy is the lesson done right.
            installed_before = True
        elif ins.name in ("COPY", "ADD") and pending is None and not installed_before:
            paths = _copy_paths(ins.value) or []
            if any(
                src in WHOLE_CONTEXT_SOURCES or src.rstrip("/") in WHOLE_CONTEXT_SOURCES
                for src in paths[:-1]
            ):
                pending = (ins, paths)
    return findings


# (manager, what triggers the rule, what shows the cache was dealt with)
CACHE_RULES: list[tuple[str, re.Pattern[str], re.Pattern[str]]] = [
    (
        "apt",
        re.compile(r"\bapt(?:-get)?\s+(?:\S+\s+)*?(?:update|install)\b"),
        re.compile(r"/var/lib/apt/lists"),
    ),
    ("apk", re.compile(r"\bapk\s+(?:\S+\s+)*?add\b"), re.compile(r"--no-cache\b|/var/cache/apk")),
    (
        "pip",
        re.compile(r"(?<!uv )\b(?:pip3?|python3?\s+-m\s+pip)\s+install\b"),
        re.compile(r"--no-cache-dir\b|\.cache/pip|PIP_NO_CACHE_DIR"),
    ),
    ("npm", re.compile(r"\bnpm\s+(?:install|ci|i)\b"), re.compile(r"npm\s+cache\s+clean|\.npm\b")),
    (
        "yum",
        re.compile(r"\byum\s+(?:\S+\s+)*?install\b"),
        re.compile(r"yum\s+clean\s+all|/var/cache/yum"),
    ),
    (
        "dnf",
        re.compile(r"\b(?:micro)?dnf\s+(?:\S+\s+)*?install\b"),
        re.compile(r"dnf\s+clean\s+all|/var/cache/dnf"),
    ),
]


def check_package_cache(lang: str, stage: list[Instruction]) -> list[Finding]:
    """RUN instructions that install packages and leave the manager's cache in the layer."""
    findings = []
    hints = catalog(lang)["check"]["hints"]
    env_text = ""
    for ins in stage:
        if ins.name in ("ENV", "ARG"):
            env_text += " " + ins.value
            continue
        if ins.name != "RUN":
            continue
        # A BuildKit cache mount keeps the cache out of the layer by design.
        if re.search(r"--mount=\S*type=cache", ins.value):
            continue
        for manager, trigger, cleanup in CACHE_RULES:
            if trigger.search(ins.value) and not cleanup.search(ins.value):
                if manager == "pip" and "PIP_NO_CACHE_DIR" in env_text:
                    continue
                findings.append(
                    _finding(lang, "package-cache", ins.line, manager=manager, hint=hints[manager])
                )
    return findings


def check_dockerfile_text(text: str, context: Path, lang: str) -> list[Finding]:
    """All dockerlab findings for Dockerfile ``text`` whose build context is ``context``."""
    findings: list[Finding] = []
    for stage in split_stages(parse_instructions(text)):
        findings += check_shell_form(lang, stage)
        findings += check_entrypoint_script(lang, stage, context)
        findings += check_copy_before_install(lang, stage)
        findings += check_package_cache(lang, stage)
    return sorted(findings, key=lambda f: (f.line, f.rule))


def check_dockerfile(dockerfile: Path, lang: str) -> list[Finding]:
    """Check a Dockerfile on disk; its folder is taken as the build context."""
    if not dockerfile.is_file():
        raise DockerlabError(f"no Dockerfile at {dockerfile.parent.name}/{dockerfile.name}")
    text = dockerfile.read_text(encoding="utf-8", errors="replace")
    return check_dockerfile_text(text, dockerfile.parent, lang)
