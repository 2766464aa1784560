"""Write env scripts in the layouts teams use: plain, Flyway, Liquibase, golang-migrate."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from indexdrift.atomic import write_atomic
from indexdrift.errors import IndexDriftError
from indexdrift.migrate.script import EnvScript

LAYOUTS = ("plain", "flyway", "liquibase", "golang-migrate")


def default_version() -> str:
    """A UTC timestamp version such as 20261126081500."""
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower() or "env"


def liquibase_text(script: EnvScript, version: str) -> str:
    """Liquibase formatted SQL: one changeset per table with its --rollback statements."""
    env = _slug(script.plan.env)
    lines = ["--liquibase formatted sql", ""]
    lines += [f"-- {h}" for h in script.header_for("up")]
    lines.append("")
    for table in script.tables:
        up = [s for s in table.up if s.executable]
        if not up:
            for statement in table.held:
                lines.append(statement.render())
                lines.append("")
            continue
        attrs = "" if all(s.transactional for s in up) else " runInTransaction:false"
        lines.append(f"--changeset indexdrift:{version}-{env}-{_slug(table.table)}{attrs}")
        lines.append(f"--comment: index changes on {table.table}")
        for statement in table.up:
            lines.append(statement.render())
        for statement in table.held:
            lines.append(statement.render())
        downs = [s for s in table.down if s.executable]
        for statement in downs:
            for sql_line in statement.sql.splitlines():
                lines.append(f"--rollback {sql_line}")
        lines.append("")
    for line in script.reported:
        lines.append(f"-- {line}")
    return "\n".join(lines).rstrip("\n") + "\n"


def layout_files(script: EnvScript, layout: str, version: str) -> dict[str, str]:
    """Relative path -> content for one env in one layout."""
    env = script.plan.env
    name = f"indexdrift_{_slug(env)}"
    needs_no_tx = any(not s.transactional for s in script.statements_up + script.statements_down)
    if layout == "plain":
        return {f"{env}.sql": script.up_text(), f"{env}.rollback.sql": script.down_text()}
    if layout == "flyway":
        files = {f"{env}/V{version}__{name}.sql": script.up_text(),
                 f"{env}/U{version}__{name}.sql": script.down_text()}
        if needs_no_tx:
            for path in list(files):
                files[path + ".conf"] = "executeInTransaction=false\n"
        return files
    if layout == "liquibase":
        return {f"{env}/{version}_{name}.sql": liquibase_text(script, version)}
    if layout == "golang-migrate":
        return {f"{env}/{version}_{name}.up.sql": script.up_text(),
                f"{env}/{version}_{name}.down.sql": script.down_text()}
    raise IndexDriftError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}")


def write_layout(scripts: list[EnvScript], out_dir: str, layout: str, version: str,
                 force: bool = False) -> list[Path]:
    """Write every env's files; refuse (before writing anything) to overwrite without force."""
    files: dict[Path, str] = {}
    for script in scripts:
        for rel, text in layout_files(script, layout, version).items():
            files[Path(out_dir) / rel] = text
    if not force:
        existing = [str(p) for p in files if p.exists()]
        if existing:
            raise IndexDriftError("refusing to overwrite existing migration file(s) "
                                  + ", ".join(existing) + "; pass --force")
    for path, text in files.items():
        write_atomic(path, text)
    return list(files)
