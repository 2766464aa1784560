"""``dockerlab check``: review a Dockerfile for the lessons a Docker lab teaches.

Rules (each finding comes with a one-paragraph explanation, ko/en):

- ``shell-form``: ENTRYPOINT/CMD in shell form (or ``sh -c`` without ``exec``,
  or a JSON array Docker cannot parse) — PID 1 is a shell.
- ``entrypoint-no-exec``: the entrypoint script starts the app without ``exec``.
- ``cmd-shell-args``: a shell-form CMD after an exec-form ENTRYPOINT (the
  entrypoint gets ``/bin/sh -c "..."`` as its arguments).
- ``copy-before-install``: ``COPY . .`` before a dependency install it invalidates.
- ``copy-context-twice``: the whole build context copied a second time.
- ``package-cache``: a package manager's cache left in a layer of the final image.
- ``unpinned-base``: ``FROM`` without a tag, or with ``:latest``.
- ``add-instead-of-copy``: ``ADD`` of local files, where ``COPY`` says what happens.
- ``runs-as-root``: the final image has no ``USER`` (or ``USER root``).

Heredocs (``RUN <<EOT ... EOT``) belong to their instruction: dockerfile-parse
reads their lines as instructions of their own, so they are joined back here.

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


HEREDOC_RE = re.compile(r"<<-?\s*([\"']?)([A-Za-z_][A-Za-z0-9_]*)\1")


def parse_instructions(text: str) -> list[Instruction]:
    """Parse Dockerfile text with dockerfile-parse (comments dropped, lines 1-based).

    A heredoc's body lines are folded into the instruction that opens it, so
    ``RUN <<EOT`` carries its commands (dockerfile-parse would report each body
    line as an instruction named after its first word, e.g. ``APT-GET``).
    """
    # fileobj keeps dockerfile-parse from looking for (or creating) files on disk.
    parser = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")), env_replace=False)
    try:
        structure = parser.structure
    except Exception as exc:  # the parser raises assorted errors on broken input
        raise DockerlabError("cannot parse the Dockerfile: {reason}", reason=str(exc)) from None
    instructions: list[Instruction] = []
    items = iter(structure)
    for item in items:
        name = item["instruction"].upper()
        value = item["value"]
        terminators = [m.group(2) for m in HEREDOC_RE.finditer(value)] if name != "COMMENT" else []
        body: list[str] = []
        while terminators:
            nxt = next(items, None)
            if nxt is None:
                break
            content = nxt["content"].rstrip("\n")
            if content.strip() == terminators[0]:
                terminators.pop(0)
            else:
                body.append(content)
        if body:
            value = value + "\n" + "\n".join(body)
        if name != "COMMENT":
            instructions.append(Instruction(name, value, item["startline"] + 1))
    return instructions


def _check_structure(instructions: list[Instruction]) -> None:
    """An empty Dockerfile, or one that does not start with FROM, is not a Dockerfile."""
    if not instructions:
        raise DockerlabError("the Dockerfile has no instructions (an image needs at least a FROM)")
    for ins in instructions:
        if ins.name == "FROM":
            return
        if ins.name != "ARG":
            raise DockerlabError(
                "Dockerfile:{line}: {name} before the first FROM (only ARG may come before it)",
                line=ins.line,
                name=ins.name,
            )
    raise DockerlabError("the Dockerfile has no FROM instruction")


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


def _effective(stage: list[Instruction], name: str) -> Instruction | None:
    """The instruction of ``name`` that counts in a stage (the last one)."""
    found = [ins for ins in stage if ins.name == name]
    return found[-1] if found else None


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
    """ENTRYPOINT/CMD that leave a shell as PID 1 (or hand a shell command to the entrypoint)."""
    findings = []
    entrypoint = _effective(stage, "ENTRYPOINT")
    exec_entrypoint = entrypoint is not None and exec_form(entrypoint.value.strip()) is not None
    for ins in stage:
        if ins.name not in ("ENTRYPOINT", "CMD") or not ins.value.strip():
            continue
        args = exec_form(ins.value.strip())
        if args is None:
            looks_json = ins.value.strip().startswith("[")
            if ins.name == "CMD" and exec_entrypoint and not looks_json:
                # Not PID 1's problem: the CMD becomes `/bin/sh -c "..."` *arguments*
                # of the exec-form entrypoint, which is PID 1 itself.
                findings.append(
                    _finding(lang, "cmd-shell-args", ins.line, entrypoint=entrypoint.value.strip())
                )
                continue
            if not looks_json and EXEC_RE.search(ins.value.strip()):
                continue  # `ENTRYPOINT exec /usr/bin/app`: exec replaces the shell
            key = "title_bad_json" if looks_json else "title"
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


INSTALLERS: list[tuple[str, re.Pattern[str]]] = [
    ("pip", re.compile(r"\b(?:pip3?|python3?\s+-m\s+pip)\s+install\b")),
    ("poetry", re.compile(r"\bpoetry\s+install\b")),
    ("pipenv", re.compile(r"\bpipenv\s+install\b")),
    ("uv", re.compile(r"\buv\s+sync\b")),
    ("node", re.compile(r"\b(?:npm\s+(?:install|ci|i)\b|yarn\b|pnpm\s+(?:install|i)\b)")),
    ("bundler", re.compile(r"\bbundle\s+install\b")),
    ("go", re.compile(r"\bgo\s+mod\s+download\b")),
    ("composer", re.compile(r"\bcomposer\s+install\b")),
    ("cargo", re.compile(r"\bcargo\s+fetch\b")),
    ("maven", re.compile(r"\bmvn\s+\S*dependency:")),
]
# An install from a dependency manifest (not of the project itself, like `pip install -e .`).
MANIFEST_INSTALL_RE = re.compile(r"\s-r\s*\S|--requirement|\bnpm\s+ci\b")


def _installs(value: str) -> set[str]:
    """The package managers a RUN installs dependencies with."""
    if not DEPENDENCY_INSTALL_RE.search(value):
        return set()
    return {name for name, pattern in INSTALLERS if pattern.search(value)}


def _whole_context(ins: Instruction) -> list[str] | None:
    """The paths of a COPY/ADD that takes the whole build context, else None."""
    if ins.name not in ("COPY", "ADD"):
        return None
    paths = _copy_paths(ins.value) or []
    if any(
        src in WHOLE_CONTEXT_SOURCES or src.rstrip("/") in WHOLE_CONTEXT_SOURCES
        for src in paths[:-1]
    ):
        return paths
    return None


def check_copy_before_install(lang: str, stage: list[Instruction]) -> list[Finding]:
    """A whole-context COPY followed by a dependency install that it invalidates.

    Installs done before the copy count only for their own package manager: an
    ``npm ci`` before ``COPY . .`` does not make a later ``pip install -r`` cheap.
    A later install by the same manager is fine unless it installs a manifest
    again (``pip install -e .`` of the project itself is the right order).
    """
    findings = []
    installed_before: set[str] = set()
    pending: tuple[Instruction, list[str]] | None = None
    for ins in stage:
        managers = _installs(ins.value) if ins.name == "RUN" else set()
        if managers:
            if pending and (managers - installed_before or MANIFEST_INSTALL_RE.search(ins.value)):
                copy, sources = pending
                findings.append(
                    _finding(
                        lang,
                        "copy-before-install",
                        copy.line,
                        instruction=copy.name,
                        sources=" ".join(sources),
                        install_line=ins.line,
                    )
                )
                pending = None
            installed_before |= managers
        elif pending is None and (paths := _whole_context(ins)) is not None:
            pending = (ins, paths)
    return findings


def check_copy_context_twice(lang: str, stage: list[Instruction]) -> list[Finding]:
    """The whole build context copied again later in the same stage."""
    findings = []
    first: Instruction | None = None
    for ins in stage:
        if _whole_context(ins) is None:
            continue
        if first is None:
            first = ins
        else:
            findings.append(
                _finding(
                    lang, "copy-context-twice", ins.line, instruction=ins.name, first=first.line
                )
            )
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


def _from_parts(value: str) -> tuple[str, str | None]:
    """The image and the stage name (``AS name``) of a FROM value."""
    words = [w for w in value.split() if not w.startswith("--")]
    image = words[0] if words else ""
    alias = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
    return image, alias


def final_image_stages(stages: list[list[Instruction]]) -> set[int]:
    """Indexes of the stages whose layers end up in the final image.

    That is the last stage and the stages it is built ``FROM``, transitively;
    builder stages used only through ``COPY --from`` are thrown away.
    """
    names = {}
    for index, stage in enumerate(stages):
        _, alias = _from_parts(stage[0].value) if stage and stage[0].name == "FROM" else ("", None)
        if alias:
            names[alias] = index
    kept = set()
    index: int | None = len(stages) - 1
    while index is not None and index not in kept:
        kept.add(index)
        stage = stages[index]
        image = _from_parts(stage[0].value)[0].lower() if stage[0].name == "FROM" else ""
        index = names.get(image)
    return kept


def check_unpinned_base(lang: str, stages: list[list[Instruction]]) -> list[Finding]:
    """FROM without a tag (or digest), or with ``:latest``."""
    findings = []
    seen_aliases: set[str] = set()
    for stage in stages:
        ins = stage[0]
        if ins.name != "FROM":
            continue
        image, alias = _from_parts(ins.value)
        name = image.lower()
        if name == "scratch" or name in seen_aliases or "$" in image or "@" in image:
            pass
        elif ":" not in image.rsplit("/", 1)[-1]:
            findings.append(_finding(lang, "unpinned-base", ins.line, image=image))
        elif image.rsplit(":", 1)[1] == "latest":
            findings.append(_finding(lang, "unpinned-base", ins.line, "title_latest", image=image))
        if alias:
            seen_aliases.add(alias)
    return findings


ARCHIVE_RE = re.compile(r"\.(?:tar|tar\.(?:gz|bz2|xz|zst)|tgz|tbz2?|txz)$", re.IGNORECASE)
REMOTE_RE = re.compile(r"^(?:https?://|git@|git://)|\.git(?:#.*)?$")


def check_add_instead_of_copy(lang: str, stage: list[Instruction]) -> list[Finding]:
    """ADD of plain local files: COPY does the same and says so."""
    findings = []
    for ins in stage:
        if ins.name != "ADD":
            continue
        paths = _copy_paths(ins.value)
        if not paths or len(paths) < 2:
            continue
        sources = paths[:-1]
        if any(REMOTE_RE.search(src) or ARCHIVE_RE.search(src) for src in sources):
            continue  # fetching a URL or unpacking a tar is what ADD is for
        findings.append(_finding(lang, "add-instead-of-copy", ins.line, sources=" ".join(paths)))
    return findings


def check_runs_as_root(lang: str, stages: list[list[Instruction]]) -> list[Finding]:
    """The final image runs as root: no USER in its stages, or USER root / 0."""
    kept = final_image_stages(stages)
    users = [ins for i in sorted(kept) for ins in stages[i] if ins.name == "USER"]
    final_from = stages[-1][0]
    if "nonroot" in final_from.value.lower():
        return []  # e.g. distroless :nonroot images set a non-root USER themselves
    if not users:
        return [_finding(lang, "runs-as-root", final_from.line)]
    last = users[-1]
    if last.value.strip().split(":", 1)[0] in ("root", "0"):
        return [_finding(lang, "runs-as-root", last.line, "title_root")]
    return []


def check_dockerfile_text(text: str, context: Path, lang: str) -> list[Finding]:
    """All dockerlab findings for Dockerfile ``text`` whose build context is ``context``."""
    instructions = parse_instructions(text)
    _check_structure(instructions)
    # ARGs before the first FROM belong to no stage.
    first_from = next(i for i, ins in enumerate(instructions) if ins.name == "FROM")
    stages = split_stages(instructions[first_from:])
    in_final_image = final_image_stages(stages)
    findings: list[Finding] = []
    for index, stage in enumerate(stages):
        findings += check_shell_form(lang, stage)
        findings += check_entrypoint_script(lang, stage, context)
        findings += check_copy_before_install(lang, stage)
        findings += check_copy_context_twice(lang, stage)
        findings += check_add_instead_of_copy(lang, stage)
        if index in in_final_image:
            # A cache in a throw-away builder stage costs the final image nothing.
            findings += check_package_cache(lang, stage)
    findings += check_unpinned_base(lang, stages)
    findings += check_runs_as_root(lang, stages)
    return sorted(findings, key=lambda f: (f.line, f.rule))


def check_dockerfile(dockerfile: Path, lang: str) -> list[Finding]:
    """Check a Dockerfile on disk; its folder is taken as the build context."""
    if not dockerfile.is_file():
        raise DockerlabError(
            "no Dockerfile at {path}", path=f"{dockerfile.parent.name}/{dockerfile.name}"
        )
    text = dockerfile.read_text(encoding="utf-8", errors="replace")
    return check_dockerfile_text(text, dockerfile.parent, lang)
