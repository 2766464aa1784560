"""Topic naming, numbering and resolution."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from dockerlab.errors import DockerlabError
from dockerlab.topics import (
    Topic,
    list_topics,
    next_number,
    parse_area,
    parse_number,
    resolve_topic,
    slugify,
)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("network basics", "network-basics"),
        ("  Layer & Build-Cache!  ", "layer-build-cache"),
        ("prod_image optimization", "prod-image-optimization"),
        ("네트워크 기초", "네트워크-기초"),
        ("Docker의 볼륨 (volume) 기초", "docker의-볼륨-volume-기초"),
        ("ＦＵＬＬ ｗｉｄｔｈ", "full-width"),
        ("cgroups & limits: 2024", "cgroups-limits-2024"),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_slugify_composes_decomposed_hangul():
    # macOS hands out file names in NFD; the slug must still be the composed form.
    decomposed = unicodedata.normalize("NFD", "네트워크")
    assert decomposed != "네트워크"
    assert slugify(decomposed) == "네트워크"


def test_slugify_cuts_long_titles_at_a_word():
    slug = slugify("word " * 40)
    assert len(slug) <= 60 and not slug.endswith("-") and slug.endswith("word")


def test_slugify_rejects_titles_without_letters():
    with pytest.raises(DockerlabError, match="no letters or digits"):
        slugify("!!! ???")


def _topics(*numbers: int) -> list[Topic]:
    return [Topic(Path(f"/lab/topics/{n:03d}-t{n}"), n, f"t{n}") for n in numbers]


def test_next_number_continues_after_highest():
    assert next_number([]) == 1
    assert next_number(_topics(1, 2)) == 3
    assert next_number(_topics(1, 2, 20, 30, 40, 50, 60)) == 61


def test_next_number_by_area():
    topics = _topics(1, 2, 20, 21, 30)
    assert next_number(topics, area=0) == 3
    assert next_number(topics, area=20) == 22
    assert next_number(topics, area=25) == 22  # any number inside the tens group names it
    assert next_number(topics, area=40) == 40


def test_next_number_full_area_and_end():
    with pytest.raises(DockerlabError, match="area 020-029 is full"):
        next_number(_topics(*range(20, 30)), area=20)
    with pytest.raises(DockerlabError, match="no topic number left"):
        next_number(_topics(999))


def test_parse_number_and_area():
    assert parse_number("020") == 20
    assert parse_number("7") == 7
    for bad in ("0", "1000", "abc", "-1", ""):
        with pytest.raises(DockerlabError):
            parse_number(bad)
    assert parse_area("000") == 0
    with pytest.raises(DockerlabError):
        parse_area("x")


@pytest.fixture
def topics_dir(tmp_path):
    root = tmp_path / "topics"
    for name in ("001-container-basics", "020-network-basics", "030-볼륨-기초"):
        (root / name / "sub").mkdir(parents=True)
    (root / "notes.txt").write_text("not a topic")
    (root / "misc").mkdir()
    return root


def test_list_topics_ignores_other_entries(topics_dir):
    assert [t.name for t in list_topics(topics_dir)] == [
        "001-container-basics",
        "020-network-basics",
        "030-볼륨-기초",
    ]


@pytest.mark.parametrize(
    ("spec", "name"),
    [
        ("20", "020-network-basics"),
        ("020", "020-network-basics"),
        ("network-basics", "020-network-basics"),
        ("Network Basics", "020-network-basics"),
        ("020-network-basics", "020-network-basics"),
        ("topics/020-network-basics/", "020-network-basics"),
        ("볼륨 기초", "030-볼륨-기초"),
    ],
)
def test_resolve_topic_by_spec(topics_dir, spec, name):
    assert resolve_topic(topics_dir, spec, topics_dir).name == name


def test_resolve_topic_from_current_folder(topics_dir):
    assert resolve_topic(topics_dir, None, topics_dir / "001-container-basics").number == 1
    assert resolve_topic(topics_dir, None, topics_dir / "001-container-basics" / "sub").number == 1
    with pytest.raises(DockerlabError, match="not inside one"):
        resolve_topic(topics_dir, None, topics_dir)


def test_resolve_topic_missing_and_ambiguous(topics_dir):
    with pytest.raises(DockerlabError, match="no topic '040' in this lab"):
        resolve_topic(topics_dir, "040", topics_dir)
    (topics_dir / "020-other").mkdir()
    with pytest.raises(DockerlabError, match="ambiguous"):
        resolve_topic(topics_dir, "020", topics_dir)
