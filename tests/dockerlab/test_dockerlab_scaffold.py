"""`dockerlab init` and `dockerlab new`."""

from __future__ import annotations

import json
import stat

from dockerlab_helpers import invoke, make_lab, snapshot

from dockerlab.dockercheck import check_dockerfile
from dockerlab.i18n import section_titles


def test_init_creates_readme_topics_and_config(tmp_path):
    root = make_lab(tmp_path, "ko")
    assert (root / "topics").is_dir()
    assert 'language = "ko"' in (root / "dockerlab.toml").read_text()
    readme = (root / "README.md").read_text()
    assert "<!-- dockerlab:index:start -->" in readme and "<!-- dockerlab:index:end -->" in readme
    # Files are ordinary, readable files (not mkstemp's 0600).
    assert stat.S_IMODE((root / "README.md").stat().st_mode) & 0o044


def test_init_keeps_existing_files(tmp_path):
    root = tmp_path / "lab"
    root.mkdir()
    (root / "README.md").write_text("# My own README\n")
    result = invoke(None, "init", str(root), "--lang", "en", cwd=tmp_path)
    assert result.exit_code == 0
    assert "kept existing README.md" in result.output
    assert (root / "README.md").read_text() == "# My own README\n"
    again = invoke(None, "init", str(root), cwd=tmp_path)
    assert again.exit_code == 0 and "kept existing dockerlab.toml" in again.output


def test_new_creates_the_three_files(tmp_path):
    root = make_lab(tmp_path, "en")
    result = invoke(root, "new", "network basics", "--goal", "how do containers talk?")
    assert result.exit_code == 0, result.output
    assert "created topics/001-network-basics/" in result.output
    topic = root / "topics" / "001-network-basics"
    assert sorted(p.name for p in topic.iterdir()) == [
        ".dockerlab.json",
        "Dockerfile",
        "notes-raw.md",
        "notes.md",
    ]
    dockerfile = (topic / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["sleep"]' in dockerfile and 'CMD ["3600"]' in dockerfile
    assert (
        check_dockerfile(topic / "Dockerfile", "en") == []
    )  # the template follows its own lessons
    raw = (topic / "notes-raw.md").read_text()
    assert raw.startswith("# 001 · network basics\n")
    assert "- Date: " in raw and "- Goal: how do containers talk?" in raw
    notes = (topic / "notes.md").read_text()
    for section in section_titles("en"):
        assert f"\n## {section}\n" in notes
    state = json.loads((topic / ".dockerlab.json").read_text())
    assert state["title"] == "network basics" and state["notes_source"] == "skeleton"


def test_new_with_a_korean_title(tmp_path):
    root = make_lab(tmp_path, "ko")
    result = invoke(root, "new", "네트워크 기초", "--number", "020")
    assert result.exit_code == 0, result.output
    topic = root / "topics" / "020-네트워크-기초"
    assert topic.is_dir()
    assert (topic / "notes-raw.md").read_text().startswith("# 020 · 네트워크 기초\n")
    assert "- 목표:" in (topic / "notes-raw.md").read_text()
    notes = (topic / "notes.md").read_text()
    for section in ("목표", "실험 과정", "관찰", "개념 정리", "실무 의미"):
        assert f"\n## {section}\n" in notes


def test_new_numbers_by_tens_groups(tmp_path):
    root = make_lab(tmp_path)
    invoke(root, "new", "container basics")
    invoke(root, "new", "layer and build cache")
    invoke(root, "new", "network basics", "--number", "020")
    assert invoke(root, "new", "dns", "--area", "020").exit_code == 0
    assert invoke(root, "new", "volume basics", "--area", "030").exit_code == 0
    assert invoke(root, "new", "bind mounts").exit_code == 0
    names = sorted(p.name for p in (root / "topics").iterdir())
    assert names == [
        "001-container-basics",
        "002-layer-and-build-cache",
        "020-network-basics",
        "021-dns",
        "030-volume-basics",
        "031-bind-mounts",
    ]


def test_number_collision_is_refused_and_changes_nothing(tmp_path):
    root = make_lab(tmp_path)
    invoke(root, "new", "network basics", "--number", "020")
    before = snapshot(root)
    result = invoke(root, "new", "other topic", "--number", "20")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "dockerlab: error: topic number 020 is already used by 020-network-basics\n"
    )
    assert snapshot(root) == before
    assert sorted(p.name for p in (root / "topics").iterdir()) == ["020-network-basics"]


def test_same_slug_is_refused(tmp_path):
    root = make_lab(tmp_path)
    invoke(root, "new", "network basics")
    result = invoke(root, "new", "Network  Basics!")
    assert result.exit_code == 2 and "already exists (001-network-basics)" in result.stderr


def test_new_rejects_bad_input(tmp_path):
    root = make_lab(tmp_path)
    before = snapshot(root)
    assert invoke(root, "new", "x", "--number", "abc").exit_code == 2
    assert invoke(root, "new", "?!").exit_code == 2
    assert invoke(root, "new", "x", "--number", "1", "--area", "2").exit_code == 2
    assert snapshot(root) == before
    assert not [p for p in (root / "topics").iterdir()]  # no staging folder left behind
