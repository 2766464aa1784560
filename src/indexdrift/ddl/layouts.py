"""Write env scripts in the layouts teams use: plain, Flyway, Liquibase, golang-migrate."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from indexdrift.core.atomic import write_file_set
from indexdrift.core.errors import IndexDriftError
from indexdrift.ddl import LAYOUTS, linecheck, versions
from indexdrift.ddl.linecheck import split_lines
from indexdrift.ddl.script import EnvScript, dialect_for
from indexdrift.ddl.statement import sql_comment
from indexdrift.plan.notes import Note, localize
from indexdrift.plan.ops import AddColumn, RenameColumn


def default_version() -> str:
    """A UTC timestamp version such as 20261126081500."""
    return datetime.now(UTC).strftime("%Y%m%d%H%M%S")


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower() or "env"


# Per phase (plan.ops.PHASES): the changeset id's suffix and the comment's catalog key
# (said in the script's language, --lang).
_PHASE_CHANGESETS = {0: ("-fk-drop", "migrate.changeset.fk_drop"),
                     1: ("", "migrate.changeset.changes"),
                     2: ("-fk-add", "migrate.changeset.fk_add")}


def liquibase_text(script: EnvScript, version: str) -> str:
    """Liquibase formatted SQL: one changeset per table with its --rollback statements."""
    env = _slug(script.plan.env)
    rel = f"{script.plan.env}/{version}_indexdrift_{env}.sql"
    owner = _owner(script)
    # (text, own): own marks the directives indexdrift writes itself; every other line
    # must not read as one (linecheck.check_file).
    chunks: list[tuple[str, bool]] = [("--liquibase formatted sql", True), ("", False)]
    chunks += [(sql_comment(h), False) for h in script.header_for("up")]
    chunks.append(("", False))
    for table in script.tables:
        up = [s for s in table.up if s.executable]
        if not up:
            for statement in table.held:
                chunks.append((script.render_statement(statement), False))
                chunks.append(("", False))
            continue
        attrs = "" if all(s.transactional for s in up) else " runInTransaction:false"
        # The changeset (its rollback too) runs outside a transaction: --explain says so.
        outside = "liquibase" if attrs else None
        # A table has a changeset per phase it takes part in (its foreign keys dropped
        # first and added last have their own): changeset ids must be unique.
        suffix, key = _PHASE_CHANGESETS[table.phase]
        what = localize(Note(key, table=table.table), script.lang)
        chunks.append((f"--changeset indexdrift:{version}-{env}-{_slug(table.table)}{suffix}"
                       f"{attrs}", True))
        chunks += [(line, True) for line in split_lines(
            sql_comment(what, "--comment:"))]
        chunks += [(line, True) for line in liquibase_preconditions(script, table.table, up)]
        preamble = script.preamble()
        chunks += [(script.render_statement(statement), False) for statement in preamble]
        for statement in table.up:
            chunks.append((script.render_statement(statement, outside_tx=outside), False))
        for statement in table.held:
            chunks.append((script.render_statement(statement), False))
        downs = [*preamble, *(s for s in table.down if s.executable)] if any(
            s.executable for s in table.down) else []
        rollback: list[str] = []
        for statement in downs:
            # The statement's own notes (a re-created table's "its rows are not
            # restored") and, under --explain, its explanation travel inside the rollback
            # SQL as comments (each line starts "| ", so it never reads as a directive).
            for comment in [*statement.notes,
                            *script.explanation(statement, outside_tx=outside)]:
                rollback += split_lines(sql_comment(str(comment), "--"))
            rollback += split_lines(statement.sql)
        linecheck.check_rollback(rel, rollback, owner)
        chunks += [(f"--rollback {line}", True) for line in rollback]
        chunks.append(("", False))
    for line in script.reported:
        chunks.append((sql_comment(line), False))
    return linecheck.check_file(rel, chunks, "liquibase", owner).rstrip("\n") + "\n"


def liquibase_preconditions(script: EnvScript, table: str, statements: list) -> list[str]:
    """A changeset's ``--preconditions onFail:HALT onError:HALT`` and one
    ``--precondition-sql-check expectedResult:0 SELECT COUNT(*) …`` per duplicate-rows
    pre-check of its statements: Liquibase runs each before the changeset and halts the
    update when one finds rows. A check reading a column the changeset adds or renames
    is left to its comment (the column does not exist before the changeset). Each query
    is one line (a name with a line break was refused before,
    linecheck.check_statements; check_file refuses a directive that spans lines)."""
    count = getattr(dialect_for(script.plan.target.flavor), "count_sql", None)
    new = new_columns(script, table)
    checks = [check.query for s in statements for check in s.prechecks
              if not check.reads_any(new)]
    if count is None or not checks:
        return []
    return ["--preconditions onFail:HALT onError:HALT",
            *(f"--precondition-sql-check expectedResult:0 {count(query)}" for query in checks)]


def new_columns(script: EnvScript, table: str) -> set[str]:
    """The columns (lower case) a table's changes add or rename: absent before them."""
    names: set[str] = set()
    for plan in script.plan.tables:
        if plan.table == table:
            for step in plan.column_steps:
                for op in step.ops:
                    if isinstance(op, AddColumn):
                        names.add(op.column.name.lower())
                    elif isinstance(op, RenameColumn):
                        names.add(op.target.name.lower())
    return names


def _owner(script: EnvScript):
    """A function naming the env and table a rendered line belongs to (error messages)."""
    def owner(line: str) -> str:
        text = line.removeprefix("--rollback ").strip()
        for table in script.tables:
            statements = [*table.up, *table.down, *table.held]
            if text and any(text in script.render_statement(s) or text in s.sql
                            for s in statements):
                return f"env {script.plan.env}, table {linecheck.shown(table.table)}"
        return f"env {script.plan.env}"
    return owner


def checked_text(script: EnvScript, text: str, name: str) -> str:
    """``text`` (a rendered script of ``script``, printed rather than written: ``migrate
    --stdout``) after the look every plain file gets (linecheck.check_file): a line that
    would read as a client's command is refused, naming the env and table, as in a file."""
    return linecheck.check_file(name, [(text, False)], "plain", _owner(script))


def _check_statements(script: EnvScript, layout: str) -> None:
    """Refuse names and strings the layout's tool cannot carry, before rendering."""
    statements = [(t.table, s.sql) for t in script.tables
                  for s in [*t.up, *t.down, *t.held,
                            *(x for up, down in t.steps for x in (*up, *down))]]
    linecheck.check_statements(script.plan.env, script.plan.target.flavor, layout,
                               statements)
    if layout != "plain" and any(s.check_foreign_keys for t in script.tables
                                 for s in [*t.up, *t.down]):
        # A SQLite rebuild turns foreign keys off before the transaction; inside the
        # tool's own transaction that is a no-op and DROP TABLE would cascade.
        raise IndexDriftError(Note("migrate.rebuild.plain_only"))


def golang_migrate_split(script: EnvScript, version: str, name: str) -> dict[str, str]:
    """Versions whose down undoes exactly their up, for statements that cannot share a
    transaction (ddl/versions.py).

    golang-migrate's postgres driver runs a file as one multi-statement query, which
    PostgreSQL executes as one implicit transaction, so ``CREATE INDEX CONCURRENTLY`` must
    be alone in its file; the transactional statements between two such share a version.
    ``migrate down 1`` after any ``up`` gives back the state before that version.
    """
    if not version.isdigit():
        raise IndexDriftError(Note("error.golang_version", version=repr(version)))
    env = script.plan.env
    number = int(version)
    width = len(version)
    files: dict[str, str] = {}
    header_up = "\n".join(sql_comment(h) for h in script.header_for("up"))
    header_down = "\n".join(sql_comment(h) for h in script.header_for("down"))
    idle = "-- " + localize(Note("migrate.idle"), script.lang) + "\n"
    # Every later file still names its server, so `indexdrift explain FILE` reads it in
    # the right dialect (the full header is in the first file only).
    target = next((sql_comment(line) + "\n" for line in script.header if line.startswith(
        localize(Note("migrate.header.target", target=""), script.lang).rstrip())), "")
    held = [script.render_statement(s) for t in script.tables for s in t.held]
    held += [sql_comment(line) for line in script.reported]
    steps = [(up, down, t.table) for t in script.tables for up, down in t.steps]

    def text(statements: list) -> str:
        shown = [script.render_statement(s) for s in statements if s.executable or s.notes]
        return "\n\n".join(shown) + "\n" if shown else idle

    first = True
    for up, down in versions.script_versions(steps):
        stem = f"{env}/{number:0{width}d}_{name}_{len(files) // 2 + 1}"
        up_text, down_text = text(up), text(down)
        if first:
            extra = "\n\n".join(held)
            up_text = header_up + "\n\n" + up_text + ("\n" + extra + "\n" if extra else "")
            down_text = header_down + "\n\n" + down_text
            first = False
        else:
            up_text, down_text = target + up_text, target + down_text
        files[f"{stem}.up.sql"] = up_text
        files[f"{stem}.down.sql"] = down_text
        number += 1
    return files


def later_version(version: str, used: int = 1) -> str:
    """The version of a staged drop's step 2: past the ``used`` versions of step 1
    (golang-migrate gives each statement a version of its own), or ``VERSION.1``."""
    if not version.isdigit():
        return version + ".1"
    return f"{int(version) + max(1, used):0{len(version)}d}"


def layout_files(script: EnvScript, layout: str, version: str) -> dict[str, str]:
    """Relative path -> content for one env in one layout, step 2 of a staged drop included.

    Step 2 goes to ``ENV.step2.sql`` (plain) or the directory ``ENV.step2/`` (tools), out
    of the tool's migrations directory: a tool would otherwise apply both steps at once.
    Move it there after watching step 1.
    """
    files = _script_files(script, layout, version)
    if script.later is not None:
        env = script.plan.env
        step2 = _script_files(script.later, layout, later_version(version, len(files)))
        for rel, text in step2.items():
            if rel.startswith(f"{env}/"):
                files[f"{env}.step2/" + rel[len(env) + 1:]] = text
            else:
                files[f"{env}.step2" + rel[len(env):]] = text
    return files


def _script_files(script: EnvScript, layout: str, version: str) -> dict[str, str]:
    """The layout's files for one script: its names checked first, every file's lines
    after rendering (see migrate/linecheck.py)."""
    if layout not in LAYOUTS:
        raise IndexDriftError(Note("error.layout_unknown", layout=repr(layout),
                                   layouts=", ".join(LAYOUTS)))
    _check_statements(script, layout)
    files = _render_files(script, layout, version)
    owner = _owner(script)
    return {rel: text if rel.endswith(".conf") or layout == "liquibase"
            else linecheck.check_file(rel, [(text, False)], layout, owner)
            for rel, text in files.items()}


def _render_files(script: EnvScript, layout: str, version: str) -> dict[str, str]:
    env = script.plan.env
    name = f"indexdrift_{_slug(env)}"
    needs_no_tx = any(not s.transactional for s in script.statements_up + script.statements_down)
    # Flyway (.conf) and golang-migrate (a file per statement) run the non-transactional
    # statements outside a transaction when there are any; plain leaves that to the reader.
    script.outside_tx = layout if needs_no_tx and layout in ("flyway", "golang-migrate") \
        else None
    if layout == "plain":
        return {f"{env}.sql": script.up_text(), f"{env}.rollback.sql": script.down_text()}
    if layout == "flyway":
        files = {f"{env}/V{version}__{name}.sql": script.up_text(transaction=False),
                 f"{env}/U{version}__{name}.sql": script.down_text(transaction=False)}
        if needs_no_tx:
            for path in list(files):
                files[path + ".conf"] = "executeInTransaction=false\n"
        return files
    if layout == "liquibase":
        return {f"{env}/{version}_{name}.sql": liquibase_text(script, version)}
    if layout == "golang-migrate":
        if needs_no_tx:
            return golang_migrate_split(script, version, name)
        return {f"{env}/{version}_{name}.up.sql": script.up_text(transaction=False),
                f"{env}/{version}_{name}.down.sql": script.down_text(transaction=False)}
    raise IndexDriftError(Note("error.layout_unknown", layout=repr(layout),
                                   layouts=", ".join(LAYOUTS)))


def write_layout(scripts: list[EnvScript], out_dir: str, layout: str, version: str,
                 force: bool = False) -> list[Path]:
    """Write every env's files as one set: all of them or none (atomic.write_file_set), and
    none at all when one exists already, unless ``force``."""
    files: dict[Path, str] = {}
    for script in scripts:
        for rel, text in layout_files(script, layout, version).items():
            files[Path(out_dir) / rel] = text
    return write_file_set(files, overwrite=force)
