"""`dockerlab layers`: docker history (and dive) recorded into notes-raw.md.

Without a daemon the real docker CLI is used (it fails to connect). The machine
running the tests has no Docker daemon, so the recording path uses small
stand-in ``docker`` / ``dive`` executables on PATH: real processes that print
what the real tools print.
"""

from __future__ import annotations

import shutil
import stat

import pytest
from dockerlab_helpers import invoke, make_lab, snapshot

from dockerlab.layers import last_built_image
from dockerlab.rawnotes import RawNotes, RunEntry, parse_raw

HISTORY = (
    "IMAGE          CREATED         CREATED BY                                      SIZE\n"
    'sha256:1a2b    2 minutes ago   CMD ["python" "app.py"]                      0B\n'
    "<missing>      2 minutes ago   RUN /bin/sh -c pip install -r requirements.txt  48.2MB\n"
    "<missing>      3 weeks ago     /bin/sh -c #(nop) ADD file:abc in /             74.8MB\n"
)


def _lab(tmp_path):
    root = make_lab(tmp_path)
    assert invoke(root, "new", "layer and build cache").exit_code == 0
    return root, root / "topics" / "001-layer-and-build-cache"


def _tool(folder, name, script):
    path = folder / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _stand_in_docker(tmp_path, dive=True):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    _tool(
        bin_dir,
        "docker",
        'case "$1" in\n'
        "  version) echo 27.3.1 ;;\n"
        f'  history) [ "$3" = lab/app:1 ] || {{ echo "no such image: $3" >&2; exit 1; }}\n'
        f"    cat <<'EOF'\n{HISTORY}EOF\n    ;;\n"
        "  build) echo built ;;\n"
        "esac\n",
    )
    if dive:
        _tool(bin_dir, "dive", 'echo "  efficiency: 98.1 %"\necho "Result:PASS [Total:3]"\n')
    return {"PATH": f"{bin_dir}:/usr/bin:/bin"}


@pytest.mark.skipif(shutil.which("docker") is None, reason="needs the docker CLI")
def test_no_daemon_is_a_clear_message_and_records_nothing(tmp_path):
    root, topic = _lab(tmp_path)
    before = snapshot(root)
    env = {"DOCKER_HOST": f"unix://{tmp_path}/no-docker.sock"}
    result = invoke(root, "layers", "-t", "001", "alpine:3.20", env=env)
    assert result.exit_code == 2
    assert result.stderr.startswith("dockerlab: error: no Docker daemon reachable (")
    assert "start Docker or set DOCKER_HOST" in result.stderr
    assert result.stderr.count("\n") == 1
    assert snapshot(root) == before


def test_no_docker_cli_is_a_clear_message(tmp_path):
    root, _ = _lab(tmp_path)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    result = invoke(root, "layers", "-t", "001", "alpine:3.20", env={"PATH": str(empty)})
    assert result.exit_code == 2
    assert "docker is not installed (no docker on PATH)" in result.stderr


def test_without_image_and_without_a_recorded_build(tmp_path):
    root, _ = _lab(tmp_path)
    result = invoke(root, "layers", "-t", "001", env=_stand_in_docker(tmp_path))
    assert result.exit_code == 2
    assert "no successful `docker build -t NAME` recorded" in result.stderr


def test_history_and_dive_of_the_last_built_image_are_recorded(tmp_path):
    root, topic = _lab(tmp_path)
    env = _stand_in_docker(tmp_path)
    built = invoke(
        root, "run", "-t", "001", "--", "docker", "build", "-t", "lab/app:1", ".", env=env
    )
    assert built.exit_code == 0
    result = invoke(root, "layers", "-t", "001", env=env)
    assert result.exit_code == 0, result.output
    assert "48.2MB" in result.stdout  # shown as it runs, too
    runs = parse_raw((topic / "notes-raw.md").read_text()).runs
    assert [r.command for r in runs] == [
        "docker build -t lab/app:1 .",
        "docker history --no-trunc lab/app:1",
        "dive --ci lab/app:1",
    ]
    assert runs[1].output == HISTORY.rstrip("\n")
    assert "Result:PASS" in runs[2].output


def test_without_dive_the_record_says_so_and_a_failing_history_is_its_exit_code(tmp_path):
    root, topic = _lab(tmp_path)
    env = _stand_in_docker(tmp_path, dive=False)
    result = invoke(root, "layers", "-t", "001", "lab/app:1", env=env)
    assert result.exit_code == 0
    [entry] = parse_raw((topic / "notes-raw.md").read_text()).runs
    assert "dive is not installed" in entry.output
    missing = invoke(root, "layers", "-t", "001", "lab/other", env=env)
    assert missing.exit_code == 1
    assert (
        "no such image: lab/other"
        in parse_raw((topic / "notes-raw.md").read_text()).runs[-1].output
    )


@pytest.mark.parametrize(
    ("command", "exit_code", "expected"),
    [
        ("docker build -t lab/app:1 .", 0, "lab/app:1"),
        ("docker build --tag=web .", 0, "web"),
        ("docker buildx build --load -t x:2 .", 0, "x:2"),
        ("docker build -tshort .", 0, "short"),
        ("docker build -t broken .", 1, None),
        ("docker run -t alpine", 0, None),
        ("echo docker build -t no", 0, None),
    ],
)
def test_last_built_image(command, exit_code, expected):
    raw = RawNotes(runs=[RunEntry(command, exit_code, 1.0, "")])
    assert last_built_image(raw) == expected
