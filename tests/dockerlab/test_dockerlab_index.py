"""`dockerlab index`: the README's topic table."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime

import pytest
from dockerlab_helpers import invoke, make_lab, snapshot, write_config

from dockerlab.readme_index import replace_index
from dockerlab.templates import INDEX_END, INDEX_START


def _set_mtime(folder, day: str) -> None:
    stamp = datetime.fromisoformat(f"{day}T12:00:00").timestamp()
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (stamp, stamp))


def _table(readme: str) -> list[str]:
    inner = readme.split(INDEX_START, 1)[1].split(INDEX_END, 1)[0]
    return [line for line in inner.strip().splitlines()]


def test_index_shows_status_changes_and_links(tmp_path):
    root = make_lab(tmp_path, "en")
    invoke(root, "new", "container basics")
    invoke(root, "new", "network basics", "--number", "020")
    invoke(root, "new", "volume basics", "--number", "030")
    invoke(root, "new", "compose | basics", "--number", "040")
    topics = root / "topics"
    invoke(root, "note", "-t", "020", "bridge networks")
    assert invoke(root, "summarize", "020", "--offline").exit_code == 0
    assert invoke(root, "summarize", "030", "--offline").exit_code == 0
    notes = topics / "030-volume-basics" / "notes.md"
    notes.write_text(notes.read_text() + "\nReviewed by hand.\n")
    (topics / "040-compose-basics" / "Dockerfile").unlink()
    for name, day in (
        ("001-container-basics", "2024-03-01"),
        ("020-network-basics", "2024-04-02"),
        ("030-volume-basics", "2024-05-03"),
        ("040-compose-basics", "2024-06-04"),
    ):
        _set_mtime(topics / name, day)

    result = invoke(root, "index")
    assert result.exit_code == 0
    assert result.output == "README.md updated (4 topics)\n"
    assert _table((root / "README.md").read_text()) == [
        "| No. | Title | Status | Last change | Links |",
        "|---|---|---|---|---|",
        "| 001 | container basics | raw | 2024-03-01 | "
        "[notes](topics/001-container-basics/notes.md) · "
        "[raw](topics/001-container-basics/notes-raw.md) · "
        "[Dockerfile](topics/001-container-basics/Dockerfile) |",
        "| 020 | network basics | summarized | 2024-04-02 | "
        "[notes](topics/020-network-basics/notes.md) · "
        "[raw](topics/020-network-basics/notes-raw.md) · "
        "[Dockerfile](topics/020-network-basics/Dockerfile) |",
        "| 030 | volume basics | reviewed | 2024-05-03 | "
        "[notes](topics/030-volume-basics/notes.md) · "
        "[raw](topics/030-volume-basics/notes-raw.md) · "
        "[Dockerfile](topics/030-volume-basics/Dockerfile) |",
        "| 040 | compose \\| basics | raw | 2024-06-04 | "
        "[notes](topics/040-compose-basics/notes.md) · "
        "[raw](topics/040-compose-basics/notes-raw.md) |",
    ]
    again = invoke(root, "index")
    assert again.output == "README.md already up to date (4 topics)\n"


def test_index_in_korean_keeps_the_rest_of_the_readme(tmp_path):
    root = make_lab(tmp_path, "ko")
    readme = root / "README.md"
    readme.write_text(readme.read_text() + "\n## 참고\n\n직접 쓴 문단.\n")
    invoke(root, "new", "네트워크 기초", "--number", "020")
    assert invoke(root, "index").exit_code == 0
    text = readme.read_text()
    assert text.endswith("\n## 참고\n\n직접 쓴 문단.\n")
    rows = _table(text)
    assert rows[0] == "| 번호 | 제목 | 상태 | 마지막 변경 | 링크 |"
    assert rows[2].startswith("| 020 | 네트워크 기초 | raw | ")
    assert "[노트](topics/020-네트워크-기초/notes.md)" in rows[2]


def test_index_appends_a_section_to_a_readme_without_markers(tmp_path):
    root = make_lab(tmp_path, "en")
    (root / "README.md").write_text("# My lab\n\nHello.\n")
    invoke(root, "new", "container basics")
    invoke(root, "index")
    text = (root / "README.md").read_text()
    assert text.startswith("# My lab\n\nHello.\n\n## Topics\n\n" + INDEX_START + "\n| No. |")
    assert text.endswith(INDEX_END + "\n")


def test_index_without_topics_and_without_readme(tmp_path):
    root = make_lab(tmp_path, "en")
    (root / "README.md").unlink()
    assert invoke(root, "index").output == "README.md updated (0 topics)\n"
    assert "No topics yet" in (root / "README.md").read_text()


def test_index_links_encode_only_what_breaks_markdown():
    from dockerlab.readme_index import _link_target

    assert _link_target("topics/010-a b(c)/notes.md") == "topics/010-a%20b%28c%29/notes.md"
    assert _link_target("topics/020-네트워크/notes.md") == "topics/020-네트워크/notes.md"


def test_replace_index_is_idempotent():
    text = f"# x\n\n{INDEX_START}\nold\n{INDEX_END}\n\ntail\n"
    once = replace_index(text, "new", "Topics")
    assert once == f"# x\n\n{INDEX_START}\nnew\n{INDEX_END}\n\ntail\n"
    assert replace_index(once, "new", "Topics") == once


def test_index_with_a_bad_config_changes_nothing(tmp_path):
    root = make_lab(tmp_path, "en")
    invoke(root, "new", "container basics")
    write_config(root, "[run]\nhead_lines = 'many'\n")
    before = snapshot(root)
    result = invoke(root, "index")
    assert result.exit_code == 2 and "run.head_lines" in result.stderr
    assert snapshot(root) == before


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_last_change_comes_from_git_for_committed_topics(tmp_path):
    root = make_lab(tmp_path, "en")
    invoke(root, "new", "container basics")
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "GIT_AUTHOR_DATE": "2023-02-03T10:00:00",
        "GIT_COMMITTER_DATE": "2023-02-03T10:00:00",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "lab"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)
    _set_mtime(root / "topics" / "001-container-basics", "2025-01-01")
    invoke(root, "index")
    row = _table((root / "README.md").read_text())[2]
    assert "| 2023-02-03 |" in row  # the commit date, not the checkout's mtime
    # Once the topic has uncommitted changes, its newest file wins.
    invoke(root, "note", "-t", "001", "x")
    invoke(root, "index")
    today = datetime.now().strftime("%Y-%m-%d")
    assert f"| {today} |" in _table((root / "README.md").read_text())[2]
