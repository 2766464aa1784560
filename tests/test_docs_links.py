"""Every relative link in README.md and docs/*.md resolves: the file exists and, for a
``#anchor``, the target Markdown file has a heading with that GitHub anchor. Code and
tests that cite a ``docs/….md`` page cite one that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def _prose_lines(text: str, *, keep_code: bool = False):
    """(line number, line) outside fenced code blocks, inline code spans removed."""
    fence = None
    for number, line in enumerate(text.splitlines(), 1):
        opened = FENCE.match(line)
        if fence is None and opened:
            fence = opened.group(1)[0] * len(opened.group(1))
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        yield number, line if keep_code else CODE_SPAN.sub("", line)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*]", "", heading.strip())
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor GitHub gives the headings of ``path`` (repeats get -1, -2, …)."""
    seen: dict[str, int] = {}
    found = set()
    for _, line in _prose_lines(path.read_text(encoding="utf-8"), keep_code=True):
        heading = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not heading:
            continue
        base = slug(heading.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def broken_links(path: Path) -> list[str]:
    """``file:line: target`` for each relative link of ``path`` that does not resolve."""
    broken = []
    text = path.read_text(encoding="utf-8")
    for number, line in _prose_lines(text):
        for target in LINK.findall(line):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):  # http:, mailto: …
                continue
            file_part, _, anchor = target.partition("#")
            resolved = (path.parent / file_part).resolve() if file_part else path
            where = f"{path.relative_to(REPO)}:{number}: {target}"
            if not resolved.exists():
                broken.append(where + " (no such file)")
            elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
                broken.append(where + " (no such heading)")
    return broken


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_resolve(doc):
    assert broken_links(doc) == []


def test_the_checker_finds_a_missing_file_and_a_missing_heading(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.REPO", tmp_path)
    (tmp_path / "other.md").write_text("# Other\n\n## The `x` part (y)\n")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n"
        "[ok](other.md#the-x-part-y) [ok](#page) [web](https://example.org/none.md)\n"
        "`[in code](nowhere.md)`\n"
        "```\n[in a fence](nowhere.md)\n```\n"
        "[gone](nowhere.md) [bad anchor](other.md#nope) [bad here](#nope)\n"
    )
    assert broken_links(page) == [
        "page.md:8: nowhere.md (no such file)",
        "page.md:8: other.md#nope (no such heading)",
        "page.md:8: #nope (no such heading)",
    ]


def test_code_and_tests_cite_docs_that_exist():
    cited = re.compile(r"\bdocs/([\w-]+\.md)")
    missing = []
    for root in ("src", "tests", "scripts"):
        for path in sorted((REPO / root).rglob("*.py")):
            for name in cited.findall(path.read_text(encoding="utf-8")):
                if not (REPO / "docs" / name).is_file():
                    missing.append(f"{path.relative_to(REPO)}: docs/{name}")
    assert missing == []
