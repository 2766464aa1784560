"""Read a Liquibase formatted-SQL changelog as Liquibase would run it (test helper)."""

from __future__ import annotations

import re


def liquibase_parts(text: str) -> tuple[str, str]:
    """The SQL Liquibase runs for update, and for rollback (changesets in reverse)."""
    changesets = re.split(r"^--changeset .*$", text, flags=re.M)[1:]
    up, down = [], []
    for body in changesets:
        up.append("\n".join(line for line in body.splitlines()
                            if not line.startswith("--rollback ")))
        down.append("\n".join(line[len("--rollback "):] for line in body.splitlines()
                              if line.startswith("--rollback ")))
    return "\n".join(up), "\n".join(reversed(down))
