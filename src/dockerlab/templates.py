"""Texts of the files dockerlab creates: README, topic Dockerfile, raw notes, notes skeleton."""

from __future__ import annotations

from .i18n import catalog, section_titles, t

INDEX_START = "<!-- dockerlab:index:start -->"
INDEX_END = "<!-- dockerlab:index:end -->"


def topic_heading(label: str, title: str) -> str:
    """The level-1 heading shared by notes-raw.md and notes.md."""
    return f"# {label} · {title}"


def render_readme(lang: str) -> str:
    """The lab README written by ``init``, with an (empty) managed topic table."""
    return (
        f"# {t(lang, 'readme.title')}\n\n"
        f"{t(lang, 'readme.intro')}\n\n"
        f"## {t(lang, 'readme.topics_heading')}\n\n"
        f"{INDEX_START}\n{t(lang, 'readme.no_topics')}\n{INDEX_END}\n"
    )


def render_dockerfile(lang: str, label: str, title: str) -> str:
    """A starting Dockerfile that already follows the habits ``check`` looks for."""
    return (
        "# syntax=docker/dockerfile:1\n"
        f"# {label} · {title}\n"
        f"# {t(lang, 'dockerfile.header')}\n\n"
        f"# {t(lang, 'dockerfile.base')}\n"
        "FROM alpine:3.20\n\n"
        f"# {t(lang, 'dockerfile.user')}\n"
        "RUN adduser -D -u 10001 app\n"
        "USER 10001\n"
        "WORKDIR /home/app\n\n"
        f"# {t(lang, 'dockerfile.exec_form')}\n"
        'ENTRYPOINT ["sleep"]\n'
        f"# {t(lang, 'dockerfile.cmd')}\n"
        'CMD ["3600"]\n'
    )


def goal_prefix(lang: str) -> str:
    """The label that starts the goal line of notes-raw.md (``- Goal:``)."""
    return f"- {t(lang, 'raw.goal')}:"


def render_raw_notes(lang: str, label: str, title: str, date: str, goal: str = "") -> str:
    """The start of notes-raw.md: heading, date, goal line; runs and notes follow."""
    goal_line = f"{goal_prefix(lang)} {goal}".rstrip()
    return (
        f"{topic_heading(label, title)}\n\n"
        f"{t(lang, 'raw.intro')}\n\n"
        f"- {t(lang, 'raw.date')}: {date}\n"
        f"{goal_line}\n"
    )


def render_notes_skeleton(lang: str, label: str, title: str) -> str:
    """notes.md as created by ``new``: the five sections with writing hints."""
    hints = catalog(lang)["skeleton"]
    keys = ("goal", "process", "observations", "concepts", "practice")
    parts = [topic_heading(label, title), ""]
    for key, section in zip(keys, section_titles(lang), strict=True):
        parts += [f"## {section}", "", hints[key], ""]
    return "\n".join(parts)
