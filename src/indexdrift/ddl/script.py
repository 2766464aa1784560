"""Turn an env's plan into statements (up and rollback), per table, through its dialect."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from types import ModuleType

from indexdrift import __version__
from indexdrift.compare.tables import Comparison
from indexdrift.core import registry as dialects
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Catalog
from indexdrift.ddl.statement import Statement, sql_comment
from indexdrift.ddl.why import annotate, why_notes
from indexdrift.evidence.text import usage_lines
from indexdrift.plan.notes import Note, held_note, localize
from indexdrift.plan.ops import Held, Step, TablePlan
from indexdrift.plan.planner import EnvPlan, PlanOptions, reversed_steps
from indexdrift.plan.staged import staged_header
from indexdrift.plan.table_ops import CreateTable, DropTable, RenameTable


def dialect_for(flavor: str) -> ModuleType:
    """The DDL module of a target flavor (its registered dialect's)."""
    found = dialects.of_flavor(flavor)
    if found is None:
        raise ValueError(f"no DDL dialect for {flavor}")
    return found.module("ddl")


def column_statements(table_plan: TablePlan, plan: EnvPlan
                      ) -> tuple[list[Statement], list[Statement], list[Statement]]:
    """(up, down, held) statements of a table's column steps, by the target's dialect
    (its registered ``column_ddl``)."""
    found = dialects.of_flavor(plan.target.flavor)
    writer = None if found is None else found.module("column_ddl")
    if writer is not None:
        return writer.column_statements(table_plan, schema=plan.schema, target=plan.target)
    raise IndexDriftError(Note("error.column_ddl_missing", flavor=plan.target.flavor))


@dataclass(slots=True)
class TableScript:
    """One table's statements in both directions."""

    table: str
    up: list[Statement]
    down: list[Statement]
    held: list[Statement]
    # Per step: (its statements, its inverse's statements); for layouts that need one
    # file per non-transactional statement (golang-migrate on PostgreSQL).
    steps: list[tuple[list[Statement], list[Statement]]] = field(default_factory=list)
    # Which of plan.ops.PHASES the statements belong to: 0 foreign keys dropped, 1 the
    # table's own changes, 2 foreign keys added. The rollback runs the phases in reverse.
    phase: int = 1


@dataclass(frozen=True, slots=True)
class ScriptSettings:
    """What ``migrate`` asks of every script besides its DDL (build_script's ``settings``).

    ``lock_timeout_ms``: the lock wait limit set at the top (``--lock-timeout``; None: not
    set); ``schema_guard``: a MySQL/MariaDB script first checks that it runs in the env's
    schema; ``guard``: the duplicate-rows pre-checks run as statements that stop the
    script (``--guard``, plain layout); ``risks``: the one-line-per-statement risk list
    in the header (ddl/risk.py); ``why``: a comment above each statement says which
    difference it fixes.
    """

    lock_timeout_ms: int | None = None
    schema_guard: bool = False
    guard: bool = False
    risks: bool = False
    why: bool = False


@dataclass(slots=True)
class EnvScript:
    """An env's whole migration: header lines plus per-table statements."""

    plan: EnvPlan
    header: list[str]
    tables: list[TableScript] = field(default_factory=list)
    reported: list[str] = field(default_factory=list)
    later: EnvScript | None = None  # step 2 of a staged drop (--staged-drop)
    # migrate --explain: the catalog the plain-language comments above statements use.
    explain: Catalog | None = None
    # migrate --lang: the language of the comment lines (None: English).
    lang: Catalog | None = None
    # The layout being written when its files run non-transactional statements outside a
    # transaction themselves (Flyway .conf, golang-migrate one file each); set by layouts.
    outside_tx: str | None = None
    settings: ScriptSettings = field(default_factory=ScriptSettings)
    _explained: dict[tuple[str, str | None], list[str]] = field(default_factory=dict,
                                                                repr=False)

    def up_text(self, *, transaction: bool = True) -> str:
        """The migration as one SQL script.

        ``transaction``: wrap it in BEGIN/COMMIT where the dialect wants the script to be
        one transaction (SQLite); layouts whose tool opens the transaction pass False.
        """
        return self._text("up", transaction)

    def down_text(self, *, transaction: bool = True) -> str:
        """The rollback as one SQL script: restores the env exactly as it was."""
        return self._text("down", transaction)

    def _text(self, direction: str, transaction: bool = True) -> str:
        lines = [sql_comment(h) for h in self.header_for(direction)]
        body: list[str] = []
        wrap = transaction and getattr(dialect_for(self.plan.target.flavor),
                                       "SCRIPT_TRANSACTION", False)
        executable = self.statements_up if direction == "up" else self.statements_down
        before, before_commit, after = self._frame(executable, wrap)
        if before:
            body.append("\n".join(before))
        if executable:  # a script with nothing to run stays without statements
            body += [self.render_statement(statement) for statement in self.preamble()]
        if wrap and executable:
            body.append("BEGIN;")
        # Without a script-wide transaction, statements that replace each other (PostgreSQL
        # DROP + CREATE of one index) still get their own, so a failure keeps the old one.
        groups = transaction and not wrap
        for table in self.tables if direction == "up" else self.down_tables():
            statements = table.up + table.held if direction == "up" else table.down
            for statement in statements:
                if direction == "up":
                    body += [self.render_statement(guard) for guard in self.guards(statement)]
                if groups and statement.opens_tx:
                    body.append("BEGIN;")
                body.append(self.render_statement(statement))
                if groups and statement.closes_tx:
                    body.append("COMMIT;")
        if direction == "up" and self.reported:
            body.append("\n".join(sql_comment(line) for line in self.reported))
        if not any(t.up for t in self.tables) and direction == "up":
            body.insert(0, "-- " + localize(Note("migrate.nothing_to_apply"), self.lang))
        if direction == "down" and not any(t.down for t in self.tables):
            body.append("-- " + localize(Note("migrate.nothing_to_roll_back"), self.lang))
        if before_commit:
            body.append("\n".join(before_commit))
        if wrap and executable:
            body.append("COMMIT;")
        if after:
            body.append("\n".join(after))
        return "\n".join(lines) + "\n\n" + "\n\n".join(body) + "\n"

    def preamble(self) -> list[Statement]:
        """The statements at the top of the script and of its rollback (the dialect's
        ``script_preamble``: MySQL's database guard, the lock wait limit), localized."""
        make = getattr(dialect_for(self.plan.target.flavor), "script_preamble", None)
        if make is None:
            return []
        schema = self.plan.schema if self.settings.schema_guard else None
        out = make(schema, self.settings.lock_timeout_ms)
        for statement in out:
            statement.notes = [localize(note, self.lang) for note in statement.notes]
        return out

    def guards(self, statement: Statement) -> list[Statement]:
        """``--guard``: the statements that stop the script before ``statement`` when its
        duplicate-rows pre-checks find rows (none for a commented-out statement)."""
        if not self.settings.guard or not statement.executable:
            return []
        make = getattr(dialect_for(self.plan.target.flavor), "guard_statement", None)
        out = [make(check.what, check.query, statement.table)
               for check in statement.prechecks] if make is not None else []
        for guard in out:
            guard.notes = [localize(note, self.lang) for note in guard.notes]
        return out

    def _frame(self, executable: list[Statement], wrap: bool
               ) -> tuple[list[str], list[str], list[str]]:
        """The dialect's lines around the script's transaction (SQLite's table rebuild:
        foreign keys off before BEGIN, checked before COMMIT, on after it); a layout whose
        tool opens the transaction cannot have them, and says so."""
        checked = [t for s in executable for t in s.check_foreign_keys]
        if not checked:
            return [], [], []
        if not wrap:
            raise IndexDriftError(Note("migrate.rebuild.plain_only"))
        parts = dialect_for(self.plan.target.flavor).script_frame(checked)
        return tuple([sql_comment(localize(line, self.lang)) if isinstance(line, Note)
                      else line for line in part] for part in parts)  # type: ignore[return-value]

    def down_tables(self) -> list[TableScript]:
        """The tables in the order the rollback runs them: the phases reversed (the
        foreign keys added last are dropped first), the tables of one phase in order."""
        return sorted(self.tables, key=lambda table: -table.phase)

    def explanation(self, statement: Statement, *, outside_tx: str | None = None) -> list[str]:
        """Comment texts explaining an executable statement (``--explain``); else none.

        ``outside_tx``: the layout whose file runs this statement outside a transaction
        (defaults to ``self.outside_tx`` for a non-transactional statement).
        """
        if self.explain is None or not statement.executable:
            return []
        handled = outside_tx or (self.outside_tx if not statement.transactional else None)
        key = (statement.sql, handled)
        if key not in self._explained:
            # lazy: the explainer imports sqlglot, paid only under --explain (start-up time)
            from indexdrift.ddl.explain_comments import comment_lines

            self._explained[key] = comment_lines(
                statement.sql, self.plan.target.flavor, self.explain, outside_tx=handled)
        return self._explained[key]

    def render_statement(self, statement: Statement, *, outside_tx: str | None = None) -> str:
        """A statement as script text; under ``--explain`` its explanation comes right
        above the SQL, after the statement's own notes."""
        lines = self.explanation(statement, outside_tx=outside_tx)
        if not lines:
            return statement.render()
        return replace(statement, notes=[*statement.notes, *lines]).render()

    def header_for(self, direction: str) -> list[str]:
        """Header lines, naming the direction (in the script's language)."""
        title = Note("migrate.title.up" if direction == "up" else "migrate.title.down",
                     env=self.plan.env)
        lines = [localize(title, self.lang), *self.header]
        if self.settings.risks:
            # lazy: the risk list reads the statements with the explainer (sqlglot)
            from indexdrift.ddl.risk import risk_lines

            lines += risk_lines(self, direction)
        return lines

    @property
    def statements_up(self) -> list[Statement]:
        """Executable statements of the migration."""
        return [s for t in self.tables for s in t.up if s.executable]

    @property
    def statements_down(self) -> list[Statement]:
        """Executable statements of the rollback."""
        return [s for t in self.tables for s in t.down if s.executable]


def summary_text(plan: EnvPlan, lang: Catalog | None = None) -> str:
    """``2 missing, 1 changed, ...`` for the header (finding kinds in ``lang``'s words)."""
    counts = Counter(f.kind for f in plan.findings)
    held = sum(len(t.held) for t in plan.tables)
    if lang is None or lang.lang == "en":
        parts = [f"{n} {kind.replace('_', ' ')}" for kind, n in sorted(counts.items())]
    else:
        parts = [lang.t("migrate.summary.count", count=n, kind=lang.t(f"kind.{kind}"))
                 for kind, n in sorted(counts.items())]
    text = ", ".join(parts) or localize(Note("migrate.summary.none"), lang)
    if held:
        text += localize(Note("migrate.summary.held", count=held), lang)
    return text


def build_script(plan: EnvPlan, comparison: Comparison, options: PlanOptions, *,
                 explain: Catalog | None = None, lang: Catalog | None = None,
                 settings: ScriptSettings | None = None) -> EnvScript:
    """Render the plan of one env with its dialect; with ``explain``, every statement
    carries its plain-language explanation as comments (``migrate --explain``); with
    ``lang``, the comment lines (header, notes, held-back reasons) are in its language
    (SQL, tool directives and file names never change)."""
    dialect = dialect_for(plan.target.flavor)
    sources = ", ".join(f"{name}={comparison.snapshots[name].source}"
                        for name in (plan.baseline, plan.env))
    target = (Note("migrate.header.target_schema", target=plan.target.label,
                   schema=plan.schema) if plan.schema
              else Note("migrate.header.target", target=plan.target.label))
    header = [
        target,
        Note("migrate.header.baseline", baseline=plan.baseline, sources=sources),
        Note("migrate.header.summary", summary=summary_text(plan, lang)),
        Note("migrate.header.generated", version=__version__),
        # A re-run would redo what ran before the failure: the advice is always a new plan.
        Note("migrate.header.stopped"),
    ]
    if not plan.safety_known:
        header.append(Note("migrate.header.no_safety"))
    if options.tables and not comparison.snapshots[plan.env].tables:
        header.append(Note("note.no_tables", env=plan.env))
    header += _evidence_header(plan, lang)
    header = [localize(line, lang) for line in header]
    settings = settings or ScriptSettings()
    script = EnvScript(plan, header, explain=explain, lang=lang, settings=settings)
    kwargs = dict(online=options.online, schema=plan.schema,
                  large_table_bytes=options.large_table_bytes)

    def render(table_plan: TablePlan, steps: list[Step], up: bool) -> list[Statement]:
        if not (up and settings.why):
            return dialect.table_statements(table_plan, steps, plan.target, prechecks=up,
                                            **kwargs)
        return why_statements(table_plan, steps, plan, dialect, kwargs)

    def per_step(table_plan: TablePlan, steps: list[Step]
                 ) -> list[tuple[list[Statement], list[Statement]]]:
        return [(render(table_plan, [step], True), render(table_plan, [step.inverse()], False))
                for step in steps]

    # The env's phases (plan.ops.PHASES): every table's foreign-key drops, then each
    # table's own changes, then every table's foreign-key adds.
    for table_plan in plan.tables:
        if table_plan.fk_drop_steps:
            script.tables.append(_phase_script(table_plan, table_plan.fk_drop_steps, 0,
                                               render, per_step))
    for table_plan in plan.tables:
        script.tables.append(_table_script(table_plan, plan, dialect, render, per_step,
                                           options.online))
    for table_plan in plan.tables:
        if table_plan.fk_add_steps:
            script.tables.append(_phase_script(table_plan, table_plan.fk_add_steps, 2,
                                               render, per_step))
    if _pins_sql_mode(script):
        script.header.append(localize(Note("migrate.header.sql_mode_pinned"), lang))
    for finding in plan.reported:
        script.reported.append(localize(_reported_note(finding, plan.env, lang), lang))
    _localize_notes(script)
    if plan.later is not None:
        script.later = build_script(plan.later, comparison, options, explain=explain,
                                    lang=lang)
    return script


def why_statements(table_plan: TablePlan, steps: list[Step], plan: EnvPlan,
                   dialect: ModuleType, kwargs: dict) -> list[Statement]:
    """The statements of ``steps``, each with a comment saying which difference it fixes
    (ddl/why.py) above its first executable statement: per group of steps one statement
    takes (MySQL's ``group_steps``: one ALTER TABLE), else per step."""
    def one(group: list[Step]) -> list[Statement]:
        out = dialect.table_statements(table_plan, group, plan.target, prechecks=True,
                                       **kwargs)
        return annotate(out, [n for step in group for n in why_notes(step, plan)])

    grouping = getattr(dialect, "group_steps", None)
    groups = grouping(steps) if grouping is not None else [[step] for step in steps]
    return [s for group in groups for s in one(group)]


def _reported_note(finding, env: str, lang: Catalog | None) -> Note:
    """The line saying a finding is reported, not migrated: a table missing or extra (the
    planner migrates every other kind, or holds it back with its reason)."""
    key = ("migrate.reported.missing" if finding.kind == "table_missing"
           else "migrate.reported.extra")
    return Note(key, table=finding.table, env=env)


def _undo(steps: list[Step]) -> list[Step]:
    """The rollback of ``steps``: their inverses in reverse order."""
    return [step.inverse() for step in reversed(steps)]


def _phase_script(table_plan: TablePlan, steps: list[Step], phase: int, render,
                  per_step) -> TableScript:
    """One table's statements of the first or last phase (its foreign keys)."""
    return TableScript(table_plan.table, render(table_plan, steps, True),
                       render(table_plan, _undo(steps), False), [],
                       per_step(table_plan, steps), phase=phase)


def _table_script(table_plan: TablePlan, plan: EnvPlan, dialect: ModuleType, render,
                  per_step, online: bool) -> TableScript:
    """One table's own changes (the middle phase): the steps that must precede the column
    step (index drops a column change would break, checks a dropped column takes along),
    the columns, the indexes, then the checks and options. A dialect that changes them in
    one ALTER TABLE (``COLUMNS_IN_TABLE_STATEMENTS``: MySQL) gets them as one list of
    steps; the others get the columns from their column writer, between the rest."""
    held = dialect.held_statements(table_plan, plan.target, online=online)
    held += [s for h in table_plan.table_held for s in _held_table_statements(h, plan)]
    whole_up = [s for step in table_plan.table_steps
                for s in whole_table_statements(step, plan, dialect, rollback=False)]
    whole_down = [s for step in _undo(table_plan.table_steps)
                  for s in whole_table_statements(step, plan, dialect, rollback=True)]
    whole_steps = [(whole_table_statements(step, plan, dialect, rollback=False),
                    whole_table_statements(step.inverse(), plan, dialect, rollback=True))
                   for step in table_plan.table_steps]
    script = _own_changes(table_plan, plan, dialect, render, per_step, held)
    # The table as a whole first (a created or dropped table has no other change), undone
    # last.
    script.up[:0] = whole_up
    script.down += whole_down
    script.steps[:0] = whole_steps
    return script


def whole_table_statements(step: Step, plan: EnvPlan, dialect: ModuleType, *,
                           rollback: bool) -> list[Statement]:
    """The statements of a step of whole-table operations (plan/table_ops.py), by the
    target's registered ``table_ddl``; ``rollback``: the step undoes the migration's (a
    re-created table's note says its rows are not restored). A PostgreSQL table and its
    indexes and comments are created in one transaction."""
    found = dialects.of_flavor(plan.target.flavor)
    ddl = None if found is None else found.module("table_ddl")
    if ddl is None:
        raise IndexDriftError(Note("error.table_ddl_missing", flavor=plan.target.flavor))
    out: list[Statement] = []
    for op in step.ops:
        if isinstance(op, CreateTable):
            # Stored texts (a SQLite file's) go only to a writer that takes them: a
            # SQLite baseline's text is no DDL for another database.
            texts = ({"texts": op.texts}
                     if op.texts and getattr(ddl, "WRITES_STORED_TEXTS", False) else {})
            out += ddl.create_table_statements(op.table, schema=plan.schema,
                                               target=plan.target, rollback=rollback, **texts)
        elif isinstance(op, DropTable):
            dropped = ddl.drop_table_statements(op.table, schema=plan.schema)
            if rollback:  # the table the migration created: not the --drop-extra warning
                for statement in dropped:
                    statement.notes = [Note("migrate.table.created_dropped",
                                            table=op.table.name)]
            out += dropped
        elif isinstance(op, RenameTable):
            # A dialect that renames more with the table (PostgreSQL: owned sequences)
            # says so with rename_table_statements.
            whole = getattr(ddl, "rename_table_statements", None)
            renamed = (whole(op.old, op.new, op.table, schema=plan.schema)
                       if whole is not None and op.table is not None
                       else [ddl.rename_table_statement(op.old, op.new, schema=plan.schema)])
            key = "migrate.table.renamed_back" if rollback else "migrate.table.staged_rename"
            renamed[0].notes = [Note(key, table=op.new if rollback else op.old,
                                     holding=op.old if rollback else op.new)]
            out += renamed
    atomic = getattr(dialect, "mark_atomic", None)
    return atomic(out) if atomic is not None else out


def _held_table_statements(held: Held, plan: EnvPlan) -> list[Statement]:
    """A held whole-table step: its reason, and (a drop merely not asked for) its
    statements commented out for review."""
    table = held.step.index_name
    reason = Note(f"migrate.held.table.{held.why}", detail=held.detail)
    note = held_note(held.step.reason, table, reason)
    sql = ""
    if held.commented:
        dialect = dialect_for(plan.target.flavor)
        sql = "\n".join(s.sql for s in whole_table_statements(held.step, plan, dialect,
                                                              rollback=False) if s.sql)
    return [Statement(sql, table, [note], commented=True)]


def _own_changes(table_plan: TablePlan, plan: EnvPlan, dialect: ModuleType, render,
                 per_step, held: list[Statement]) -> TableScript:
    """The table's changes besides whole-table operations (see ``_table_script``)."""
    columns = bool(table_plan.column_steps or table_plan.column_held)
    col_up: list[Statement] = []
    col_down: list[Statement] = []
    if columns:
        col_up, col_down, col_held = column_statements(table_plan, plan)
        held = held + col_held
    if getattr(dialect, "COLUMNS_IN_TABLE_STATEMENTS", False):
        middle = [*table_plan.before_columns, *table_plan.column_steps, *table_plan.steps]
        up, down = render(table_plan, middle, True), render(table_plan, _undo(middle), False)
        steps = [(up, down)] if columns and (up or down) else per_step(table_plan, middle)
        return TableScript(table_plan.table, up, down, held, steps)
    pre_up = render(table_plan, table_plan.before_columns, True)
    pre_down = render(table_plan, _undo(table_plan.before_columns), False)
    up = render(table_plan, table_plan.steps, True)
    down = render(table_plan, reversed_steps(table_plan), False)
    steps = per_step(table_plan, table_plan.before_columns)
    if col_up or col_down:
        # golang-migrate writes scripts with CONCURRENTLY step by step: the columns are a
        # step of the table's own (after the constraint drops, before the indexes).
        steps.append((col_up, col_down))
    steps += per_step(table_plan, table_plan.steps)
    # Column statements go before the table's index statements (a missing index may need a
    # missing column), and are undone after them.
    return TableScript(table_plan.table, pre_up + col_up + up, down + col_down + pre_down,
                       held, steps)


def _pins_sql_mode(script: EnvScript) -> bool:
    """True when a MySQL statement of the script runs between the sql_mode pin and its
    restore (ddl/mysql.pinned_statements): the header says so."""
    pin = getattr(dialect_for(script.plan.target.flavor), "SQL_MODE_PIN", None)
    if pin is None:
        return False
    return any(s.sql == pin for t in script.tables for s in (*t.up, *t.down))


def _localize_notes(script: EnvScript) -> None:
    """Say every statement's notes in the script's language (the dialects write Notes)."""
    if script.lang is None or script.lang.lang == "en":
        return
    for table in script.tables:
        statements = [*table.up, *table.down, *table.held,
                      *(s for up, down in table.steps for s in (*up, *down))]
        # A statement's undo (golang-migrate's down of its version) has notes too.
        statements += [u for s in statements for u in s.undo or ()]
        for statement in statements:
            statement.notes = [localize(note, script.lang) for note in statement.notes]


def _evidence_header(plan: EnvPlan, lang: Catalog | None = None) -> list[str]:
    """Staged-drop procedure and index usage evidence, when there are any."""
    later = plan.later.tables if plan.later is not None else plan.tables
    lines = staged_header(plan.stage, later, plan.target, lang)
    usage = usage_lines([f for f in plan.findings if f.usage or f.baseline_usage],
                        lang or Catalog("en"))
    if usage:
        lines.append(localize(Note("migrate.header.usage"), lang))
        lines.extend("  " + line for line in usage)
    return lines
