"""Nothing the learner wrote is lost: concurrent writers, encodings, README markers,
symbolic links and files that cannot be written (real processes, real ``chattr +i``)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dockerlab_helpers import invoke, make_lab, run_dockerlab, snapshot, spawn_dockerlab

from dockerlab.rawnotes import parse_raw
from dockerlab.templates import INDEX_END, INDEX_START

PY = sys.executable
KOREAN_RAW = (
    "# 001 · 컨테이너 기초\n\n- 목표: PID 1 이해하기\n\n- [2026-01-02 10:00] 손으로 쓴 메모\n"
)


def _lab(tmp_path, lang="en"):
    root = make_lab(tmp_path, lang)
    assert invoke(root, "new", "container basics").exit_code == 0
    return root, root / "topics" / "001-container-basics"


@contextlib.contextmanager
def immutable(*paths: Path):
    """``chattr +i`` for real (root can write read-only files, but not immutable ones)."""
    if os.geteuid() != 0 or subprocess.run(["chattr", "+i", str(paths[0])]).returncode != 0:
        pytest.skip("needs root and chattr to make a file unwritable for everyone")
    try:
        for path in paths[1:]:
            subprocess.run(["chattr", "+i", str(path)], check=True)
        yield
    finally:
        for path in paths:
            subprocess.run(["chattr", "-i", str(path)], check=False)


# 1. Concurrency ---------------------------------------------------------------


def test_thirty_concurrent_runs_and_notes_keep_every_record(tmp_path):
    root, topic = _lab(tmp_path)
    procs = [
        spawn_dockerlab("run", "-t", "001", "--no-tty", "--", "echo", f"run-{i}", cwd=root)
        for i in range(30)
    ]
    procs += [spawn_dockerlab("note", "-t", "001", f"note-{i}", cwd=root) for i in range(30)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    raw = parse_raw((topic / "notes-raw.md").read_text())
    assert sorted(r.output for r in raw.runs) == sorted(f"run-{i}" for i in range(30))
    assert sorted(raw.notes) == sorted(f"note-{i}" for i in range(30))


def test_a_run_waiting_on_another_run_keeps_both_blocks(tmp_path):
    # Like `docker stop` typed in a second terminal while the first run waits.
    root, topic = _lab(tmp_path)
    pairs = 5
    for i in range(pairs):
        flag = tmp_path / f"flag-{i}"
        waiter = spawn_dockerlab(
            "run",
            "-t",
            "001",
            "--no-tty",
            "--",
            "sh",
            "-c",
            f"while [ ! -e {flag} ]; do sleep 0.01; done; echo waited-{i}",
            cwd=root,
        )
        stopper = run_dockerlab("run", "-t", "001", "--no-tty", "--", "touch", str(flag), cwd=root)
        assert stopper.returncode == 0, stopper.stderr
        assert waiter.wait(timeout=60) == 0
    runs = parse_raw((topic / "notes-raw.md").read_text()).runs
    assert len(runs) == 2 * pairs
    assert sorted(r.output for r in runs if r.output.startswith("waited")) == [
        f"waited-{i}" for i in range(pairs)
    ]


# 2. Encodings -----------------------------------------------------------------


def test_cp949_raw_notes_stay_cp949_after_run_and_note(tmp_path):
    root, topic = _lab(tmp_path, "ko")
    raw = topic / "notes-raw.md"
    raw.write_bytes(KOREAN_RAW.encode("cp949"))
    assert invoke(root, "run", "-t", "001", "--no-tty", "--", "echo", "안녕").exit_code == 0
    assert invoke(root, "note", "-t", "001", "두 번째 메모").exit_code == 0
    data = raw.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp949")
    assert text.startswith(KOREAN_RAW) and "\ufffd" not in text
    assert parse_raw(text).runs[0].output == "안녕"
    assert parse_raw(text).notes[-1] == "두 번째 메모"


def test_utf8_bom_is_kept(tmp_path):
    root, topic = _lab(tmp_path)
    raw = topic / "notes-raw.md"
    raw.write_bytes("\ufeff# 001 · x\n".encode())
    assert invoke(root, "note", "-t", "001", "bom").exit_code == 0
    assert raw.read_bytes().startswith(b"\xef\xbb\xbf# 001 \xc2\xb7 x\n")
    assert raw.read_bytes().count(b"\xef\xbb\xbf") == 1


def test_an_encoding_dockerlab_cannot_keep_is_refused_before_running(tmp_path):
    root, topic = _lab(tmp_path)
    raw = topic / "notes-raw.md"
    raw.write_bytes(b"# 001\n\x80\xff broken\n")
    before = snapshot(root)
    marker = tmp_path / "ran"
    result = invoke(root, "run", "-t", "001", "--", "touch", str(marker))
    assert result.exit_code == 2
    assert "neither UTF-8 nor CP949/EUC-KR" in result.stderr and result.stderr.count("\n") == 1
    assert not marker.exists() and snapshot(root) == before


def test_text_cp949_cannot_hold_is_saved_next_to_the_file(tmp_path):
    root, topic = _lab(tmp_path, "ko")
    raw = topic / "notes-raw.md"
    raw.write_bytes(KOREAN_RAW.encode("cp949"))
    result = invoke(
        root,
        "run",
        "-t",
        "001",
        "--no-tty",
        "--",
        PY,
        "-c",
        "print('\\U0001f433'); raise SystemExit(5)",
    )
    assert result.exit_code == 5  # the command's code, not 2
    assert raw.read_bytes() == KOREAN_RAW.encode("cp949")
    [saved] = topic.glob("notes-raw.unsaved-*.md")
    assert "\U0001f433" in saved.read_text(encoding="utf-8")
    # A Korean lab says so in Korean.
    assert f"topics/001-container-basics/{saved.name}에 기록함 (종료 코드 5" in result.stderr


def test_summarize_force_on_cp949_notes_backs_up_bytes_and_keeps_the_encoding(tmp_path):
    root, topic = _lab(tmp_path, "ko")
    notes = topic / "notes.md"
    original = "# 001 · 컨테이너 기초\n\n## 개념 정리\n\n내가 쓴 설명\n".encode("cp949")
    notes.write_bytes(original)
    result = invoke(root, "summarize", "001", "--offline", "--force")
    assert result.exit_code == 0, result.output
    [backup] = topic.glob("notes.bak-*.md")
    assert backup.read_bytes() == original
    assert "목표" in notes.read_bytes().decode("cp949")


# 3. README markers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("readme", "message"),
    [
        (
            f"# Lab\n\n{INDEX_START}\nold table\n\n## Mine\n\nhand-written\n",
            f"README.md:3: {INDEX_START} without {INDEX_END}",
        ),
        (
            f"# Lab\n{INDEX_START}\nx\n{INDEX_END}\n{INDEX_START}\ny\n{INDEX_END}\n",
            f"README.md:5: a second {INDEX_START}",
        ),
        (f"# Lab\n{INDEX_END}\nmine\n{INDEX_START}\n", f"README.md:2: {INDEX_END} before"),
        (f"# Lab\nmine\n{INDEX_END}\n", f"README.md:3: {INDEX_END} without {INDEX_START}"),
    ],
)
def test_unbalanced_readme_markers_are_an_error_and_change_nothing(tmp_path, readme, message):
    root, _ = _lab(tmp_path)
    (root / "README.md").write_text(readme)
    for _ in range(2):  # the second run used to delete the hand-written part
        result = invoke(root, "index")
        assert result.exit_code == 2
        assert message in result.stderr and result.stderr.count("\n") == 1
        assert (root / "README.md").read_text() == readme


# 4. Symbolic links ------------------------------------------------------------


def test_writes_go_through_symbolic_links(tmp_path):
    root, topic = _lab(tmp_path)
    vault = tmp_path / "vault"
    vault.mkdir()
    for name in ("notes-raw.md", "notes.md"):
        (topic / name).rename(vault / name)
        (topic / name).symlink_to(vault / name)
    (root / "README.md").rename(vault / "README.md")
    (root / "README.md").symlink_to(vault / "README.md")

    assert invoke(root, "run", "-t", "001", "--no-tty", "--", "echo", "linked").exit_code == 0
    assert invoke(root, "note", "-t", "001", "in the vault").exit_code == 0
    assert invoke(root, "summarize", "001", "--offline").exit_code == 0
    assert invoke(root, "index").exit_code == 0
    for link in (topic / "notes-raw.md", topic / "notes.md", root / "README.md"):
        assert link.is_symlink()
    assert "linked" in (vault / "notes-raw.md").read_text()
    assert "in the vault" in (vault / "notes.md").read_text()
    assert "| 001 |" in (vault / "README.md").read_text()


# 5. Unwritable topic ----------------------------------------------------------


def test_immutable_raw_notes_refuse_before_running(tmp_path):
    root, topic = _lab(tmp_path)
    marker = tmp_path / "ran"
    with immutable(topic / "notes-raw.md"):
        before = snapshot(root)
        result = invoke(root, "run", "-t", "001", "--", "touch", str(marker))
        note = invoke(root, "note", "-t", "001", "x")
    assert result.exit_code == 2
    assert result.stderr == (
        "dockerlab: error: cannot record into topics/001-container-basics/notes-raw.md: "
        "Operation not permitted; the command was not run\n"
    )
    assert not marker.exists()
    assert note.exit_code == 2 and note.stderr.count("\n") == 1
    assert snapshot(root) == before


def test_raw_notes_that_become_unwritable_during_the_run_keep_the_record(tmp_path):
    root, topic = _lab(tmp_path)
    raw = topic / "notes-raw.md"
    script = f"chattr +i {raw} && echo built && exit 7"
    try:
        result = run_dockerlab("run", "-t", "001", "--no-tty", "--", "sh", "-c", script, cwd=root)
        assert result.returncode == 7, result.stderr  # the command's code, not 2
        assert "cannot write topics/001-container-basics/notes-raw.md" in result.stderr
        [saved] = topic.glob("notes-raw.unsaved-*.md")
        assert f"recorded in topics/001-container-basics/{saved.name}" in result.stderr
        assert parse_raw(saved.read_text()).runs[0].output == "built"
        # The whole folder immutable too: the record goes to the temporary folder.
        saved.unlink()
        subprocess.run(["chattr", "-i", str(raw)], check=True)
        script = f"chattr +i {raw} {topic} && echo again && exit 3"
        result = run_dockerlab("run", "-t", "001", "--no-tty", "--", "sh", "-c", script, cwd=root)
        assert result.returncode == 3
        where = result.stderr.split("recorded in ", 1)[1].split(" (exit", 1)[0]
        assert parse_raw(Path(where).read_text()).runs[0].output == "again"
        Path(where).unlink()
    finally:
        subprocess.run(["chattr", "-i", str(raw), str(topic)], check=False)
