"""Apply migrations to the real MariaDB with its own client, the way each layout's tool
reads them (test helper, shared by the MariaDB migration tests)."""

from __future__ import annotations

import subprocess

from conftest import MARIADB
from liquibase_sql import liquibase_parts


def apply_sql(db: str, sql: str) -> None:
    """Apply a script with the real mariadb client, as a person or a pipeline would (it
    stops at the first error)."""
    proc = subprocess.run(["mariadb", "-h", MARIADB["host"], "-P", str(MARIADB["port"]),
                           "-u", MARIADB["user"], "--default-character-set=utf8mb4", db],
                          input=sql, capture_output=True, text=True)
    assert proc.returncode == 0, f"{proc.stderr}\n--- script ---\n{sql}"


def layout_scripts(out, layout: str, env: str) -> tuple[str, str]:
    """(up, down) SQL of an env's files in ``out``, as the layout's tool would run them."""
    if layout == "plain":
        return (out / f"{env}.sql").read_text(), (out / f"{env}.rollback.sql").read_text()
    files = sorted((out / env).iterdir())
    if layout == "liquibase":
        return liquibase_parts(files[0].read_text())
    if layout == "flyway":
        up = next(f for f in files if f.name.startswith("V"))
        down = next(f for f in files if f.name.startswith("U"))
        return up.read_text(), down.read_text()
    up = next(f for f in files if f.name.endswith(".up.sql"))
    down = next(f for f in files if f.name.endswith(".down.sql"))
    return up.read_text(), down.read_text()
