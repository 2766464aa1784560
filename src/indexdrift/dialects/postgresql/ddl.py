"""PostgreSQL DDL for planned steps: one statement per operation, quoted and escaped.

Plain indexes are built and dropped ``CONCURRENTLY`` (with ``online``), which cannot run
inside a transaction block: those statements carry ``transactional=False`` so each layout
can tell its tool. Indexes owned by a PRIMARY KEY / UNIQUE constraint change through
``ALTER TABLE ... ADD/DROP CONSTRAINT``; online, the index is first built concurrently and
then attached with ``USING INDEX``. EXCLUDE constraints are added with ``ALTER TABLE ... ADD
CONSTRAINT ... EXCLUDE USING am (part WITH op, ...)``, which has no concurrent form (it runs
in a transaction and blocks writes while it builds). An index replaced by one that differs
only in name and comment becomes ``ALTER INDEX ... RENAME TO`` and ``COMMENT ON INDEX``
(``replace_statements`` chooses how each replacement is done).
"""

from __future__ import annotations

import re
from dataclasses import replace

from indexdrift.core.target import Target
from indexdrift.ddl import held
from indexdrift.ddl.statement import Precheck, Statement, precheck_columns
from indexdrift.dialects.postgresql import constraints_ddl
from indexdrift.dialects.postgresql.literals import (  # noqa: F401  (names re-exported)
    exact_literals,
    qualified,
    quote_ident,
    quote_string,
)
from indexdrift.dialects.postgresql.session_ddl import (  # noqa: F401  (names re-exported)
    count_sql,
    guard_statement,
    script_preamble,
)
from indexdrift.model.tables import Index, KeyPart, deferrable_sql
from indexdrift.plan.notes import Note
from indexdrift.plan.objects import AROUND
from indexdrift.plan.ops import (
    AddIndex,
    ConstraintOperation,
    DropIndex,
    RenameIndex,
    ReplaceIndex,
    SetVisibility,
    Step,
    TablePlan,
)


def _expr(part: KeyPart) -> str:
    return exact_literals(part.expression or "")


def key_part_sql(part: KeyPart) -> str:
    """``"col" COLLATE "C" text_pattern_ops DESC NULLS LAST`` or ``(expr)``."""
    text = quote_ident(part.column) if part.column is not None else f"({_expr(part)})"
    if part.collation:
        text += f" COLLATE {part.collation}"
    if part.opclass:
        text += f" {part.opclass}"
    if part.descending:
        text += " DESC"
    if part.nulls_first is not None:
        text += " NULLS FIRST" if part.nulls_first else " NULLS LAST"
    return text


def exclude_clause(index: Index) -> str:
    """``ADD CONSTRAINT "n" EXCLUDE USING am (p WITH op, ...) [INCLUDE (...)] [WHERE (...)]``."""
    elements = ", ".join(f"{key_part_sql(p)} WITH {p.operator}" for p in index.parts)
    text = (f"ADD CONSTRAINT {quote_ident(index.name)} EXCLUDE USING "
            f"{index.index_type.lower()} ({elements})" + _include_sql(index) + _with_sql(index))
    if index.predicate:
        text += f" WHERE ({exact_literals(index.predicate)})"  # the parentheses are required
    return text + _deferrable(index)


def exclude_sql(index: Index, schema: str | None) -> str:
    """``ALTER TABLE ... ADD CONSTRAINT "n" EXCLUDE USING am (p WITH op, ...) ...;``."""
    return f"ALTER TABLE {qualified(schema, index.table)} {exclude_clause(index)};"


def key_constraint_clause(index: Index) -> str:
    """``ADD CONSTRAINT "n" PRIMARY KEY (...)`` or ``... UNIQUE [NULLS NOT DISTINCT] (...)``,
    with INCLUDE columns (the constraint builds its own index, in the transaction)."""
    kind = _constraint_kind(index)
    cols = ", ".join(quote_ident(p.column or "") for p in index.parts)
    nnd = " NULLS NOT DISTINCT" if index.nulls_not_distinct and kind == "UNIQUE" else ""
    return (f"ADD CONSTRAINT {quote_ident(index.name)} {kind}{nnd} ({cols}){_include_sql(index)}"
            + _with_sql(index) + _deferrable(index))


def build_name(name: str, suffix: str = "_indexdrift_new") -> str:
    """The temporary name a replacement index is built under while the old one still
    exists (PostgreSQL names are per schema and at most 63 bytes)."""
    head = name.encode()[:63 - len(suffix)].decode("utf-8", "ignore")
    return head + suffix


def _free_build_name(new: Index, plan: TablePlan) -> str:
    """``build_name``, or a numbered one when the table has an index of that name already
    (the finished build of a run stopped before its swap, which the plan drops later)."""
    taken = {key for kind, key in plan.env_order if kind == "index"}
    temp, number = build_name(new.name), 1
    while replace(new, name=temp).name_key in taken:
        number += 1
        temp = build_name(new.name, f"_indexdrift_new{number}")
    return temp


def _deferrable(index: Index) -> str:
    """`` DEFERRABLE [INITIALLY DEFERRED]`` after a constraint of a deferrable index (the
    constraint definition, not the index, carries it: ``CREATE INDEX`` has no such clause)."""
    return " " + deferrable_sql(index.deferrable) if index.deferrable else ""


def _include_sql(index: Index) -> str:
    if not index.include:
        return ""
    return " INCLUDE (" + ", ".join(quote_ident(c) for c in index.include) + ")"


_WORD = re.compile(r"[a-z_][a-z0-9_]*|-?[0-9]+(\.[0-9]+)?")


def _with_sql(index: Index) -> str:
    """`` WITH (fillfactor=70, ...)``: the index's storage parameters (index_parameters of
    CREATE INDEX and of a constraint; ``USING INDEX`` keeps the built index's), or ``""``.
    A value that is not a plain word or number is written as a string literal, which
    PostgreSQL stores as the same text."""
    if not index.storage:
        return ""
    items = []
    for name, value in index.storage:
        name_sql = name if _WORD.fullmatch(name) else quote_ident(name)
        value_sql = value if _WORD.fullmatch(value) else quote_string(value)
        items.append(f"{name_sql}={value_sql}")
    return " WITH (" + ", ".join(items) + ")"


def create_index_sql(index: Index, schema: str | None, concurrently: bool) -> str:
    """``CREATE [UNIQUE] INDEX [CONCURRENTLY] "n" ON "s"."t" [USING am] (...) ...;``."""
    words = ["CREATE", "UNIQUE INDEX" if index.unique else "INDEX"]
    if concurrently:
        words.append("CONCURRENTLY")
    words += [quote_ident(index.name), "ON", qualified(schema, index.table)]
    if index.index_type != "BTREE":
        words.append(f"USING {index.index_type.lower()}")
    text = " ".join(words) + " (" + ", ".join(key_part_sql(p) for p in index.parts) + ")"
    text += _include_sql(index)
    if index.nulls_not_distinct:
        text += " NULLS NOT DISTINCT"
    text += _with_sql(index)
    if index.predicate:
        text += f" WHERE {exact_literals(index.predicate)}"
    return text + ";"


def comment_sql(schema: str | None, name: str, comment: str) -> str:
    """``COMMENT ON INDEX "s"."n" IS '...'`` (``IS NULL`` removes the comment)."""
    value = quote_string(comment) if comment else "NULL"
    return f"COMMENT ON INDEX {qualified(schema, name)} IS {value};"


def _constraint_kind(index: Index) -> str:
    return "PRIMARY KEY" if index.constraint == "p" or index.primary else "UNIQUE"


def _attach_statement(new: Index, using: str, plan: TablePlan, schema: str | None,
                      drop: str = "") -> Statement:
    """``ALTER TABLE ... [drop, ]ADD CONSTRAINT "n" PRIMARY KEY|UNIQUE USING INDEX "using"``:
    a concurrently built index becomes ``new``'s constraint (and takes its name)."""
    kind = _constraint_kind(new)
    extra = [] if kind == "UNIQUE" else [Note("migrate.postgresql.primary_key_not_null")]
    return _statement(f"ALTER TABLE {qualified(schema, new.table)} {drop}ADD CONSTRAINT "
                      f"{quote_ident(new.name)} {kind} USING INDEX {quote_ident(using)}"
                      f"{_deferrable(new)};", plan, notes=extra)


def _statement(sql: str, plan: TablePlan, transactional: bool = True,
               notes: list[str] | None = None, commented: bool = False,
               prechecks: tuple[Precheck, ...] = ()) -> Statement:
    return Statement(sql=sql, table=plan.table, notes=notes or [], commented=commented,
                     transactional=transactional, prechecks=prechecks)


def _undone(statement: Statement, undo: list[Statement]) -> Statement:
    """``statement`` with the statements that undo exactly it (``Statement.undo``)."""
    statement.undo = undo
    return statement


def _rebuilt(index: Index, plan: TablePlan, schema: str | None, name: str | None = None
             ) -> Statement:
    """``CREATE [UNIQUE] INDEX`` of ``index`` (as ``name``) inside a transaction: a
    version's down that must give back an index dropped in a transaction (its note says
    the build blocks writes)."""
    built = replace(index, name=name or index.name)
    return _statement(create_index_sql(built, schema, False), plan,
                      notes=[Note("migrate.postgresql.undo_rebuilds", index=built.name)])


def _undo_drop(index: Index, plan: TablePlan, schema: str | None, concurrently: bool
               ) -> list[Statement]:
    """What gives back a dropped ``index`` with its comment, as one unit: ``CREATE INDEX
    CONCURRENTLY`` alone when it has no comment and the drop was concurrent, else the
    build and the comment in one transaction."""
    if index.constraint == "x":
        out = [_statement(exclude_sql(index, schema), plan)]
    elif index.constraint in ("p", "u"):
        out = [_statement(f"ALTER TABLE {qualified(schema, index.table)} "
                          f"{key_constraint_clause(index)};", plan)]
    elif concurrently and not index.comment:
        return [_statement(create_index_sql(index, schema, True), plan, False)]
    else:
        out = [_rebuilt(index, plan, schema)]
    if index.comment:
        out.append(_statement(comment_sql(schema, index.name, index.comment), plan))
    return out


def _undo_attach(new: Index, using: str, plan: TablePlan, schema: str | None,
                 old: Index | None = None) -> list[Statement]:
    """The inverse of ``_attach_statement``: the constraint dropped (``old``'s put back
    with its comment, for a swap) and the standalone index ``using`` built again."""
    table = qualified(schema, new.table)
    back = ""
    if old is not None:
        back = ", " + (exclude_clause(old) if old.constraint == "x"
                       else key_constraint_clause(old))
    out = [_statement(f"ALTER TABLE {table} DROP CONSTRAINT {quote_ident(new.name)}{back};",
                      plan)]
    if old is not None and old.comment:
        out.append(_statement(comment_sql(schema, old.name, old.comment), plan))
    out.append(_rebuilt(new, plan, schema, using))
    return out


def _comment(schema: str | None, name: str, comment: str, plan: TablePlan,
             before: str = "") -> Statement:
    """``COMMENT ON INDEX``, undone by the comment it had ``before``."""
    return _undone(_statement(comment_sql(schema, name, comment), plan),
                   [_statement(comment_sql(schema, name, before), plan)])


def _rename(schema: str | None, old: str, new: str, plan: TablePlan) -> Statement:
    """``ALTER INDEX ... RENAME TO``, undone by the rename back."""
    def sql(a: str, b: str) -> str:
        return f"ALTER INDEX {qualified(schema, a)} RENAME TO {quote_ident(b)};"
    return _undone(_statement(sql(old, new), plan), [_statement(sql(new, old), plan)])


def unique_precheck(index: Index, schema: str | None) -> str:
    """A query listing the duplicates that would make the unique build fail."""
    return unique_duplicates(index, schema) + " LIMIT 10;"


def _checks(index: Index, schema: str | None, precheck: bool) -> tuple[Precheck, ...]:
    """The duplicate-rows check of a unique build (Statement.prechecks), or none."""
    if not precheck:
        return ()
    what = f"{_constraint_kind(index) if index.constraint in ('p', 'u') else 'UNIQUE'} " \
           f"{index.name} on {index.table}"
    return (Precheck(what, unique_duplicates(index, schema), precheck_columns(index)),)


def unique_duplicates(index: Index, schema: str | None) -> str:
    """The SELECT (no ``;``) of the key groups that make a unique build of ``index`` fail."""
    exprs = [quote_ident(p.column) if p.column is not None else f"({_expr(p)})"
             for p in index.parts]
    cols = ", ".join(exprs)
    conditions = [] if index.nulls_not_distinct or index.primary else [
        f"{e} IS NOT NULL" for e in exprs]
    if index.predicate:
        conditions.append(f"({exact_literals(index.predicate)})")
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    return (f"SELECT {cols}, count(*) AS duplicates FROM {qualified(schema, index.table)}{where}"
            f" GROUP BY {cols} HAVING count(*) > 1")


def _build_notes(index: Index, plan: TablePlan, schema: str | None, online: bool,
                 precheck: bool, precheck_key: str) -> list[str]:
    """Notes above a statement that builds ``index``: the duplicate-rows pre-check (under
    ``precheck_key``) and why a partitioned table is not built CONCURRENTLY."""
    notes: list[str] = []
    if precheck:
        notes.append(Note(f"migrate.postgresql.{precheck_key}", index=index.name))
        notes.append("  " + unique_precheck(index, schema))
    if online and plan.engine == "partitioned":
        notes.append(Note("migrate.postgresql.partitioned"))
    return notes


def add_statements(index: Index, plan: TablePlan, schema: str | None, online: bool,
                   prechecks: bool) -> list[Statement]:
    """Statements that create ``index`` (a constraint's index through ALTER TABLE)."""
    if not index.valid:
        return [_statement("", plan, notes=[
            Note("migrate.postgresql.invalid_not_recreated", index=index.name)],
            commented=True)]
    concurrently = online and plan.engine != "partitioned"
    notes = _build_notes(index, plan, schema, online, prechecks and index.unique,
                         "precheck_concurrently" if concurrently else "precheck")
    checks = _checks(index, schema, prechecks and index.unique)
    out: list[Statement] = []
    table = qualified(schema, index.table)
    drop_constraint = [_statement(f"ALTER TABLE {table} DROP CONSTRAINT "
                                  f"{quote_ident(index.name)};", plan)]
    if index.constraint == "x":
        if online:
            notes.append(Note("migrate.postgresql.exclude_blocks"))
        out.append(_undone(_statement(exclude_sql(index, schema), plan, notes=notes),
                           drop_constraint))
    elif index.constraint in ("p", "u"):
        if concurrently:
            out.append(_undone(_statement(create_index_sql(index, schema, True), plan, False,
                                          notes, prechecks=checks),
                               _drop_built(index.name, plan, schema)))
            out.append(_undone(_attach_statement(index, index.name, plan, schema),
                               _undo_attach(index, index.name, plan, schema)))
        else:
            out.append(_undone(_statement(f"ALTER TABLE {table} "
                                          f"{key_constraint_clause(index)};", plan,
                                          notes=notes, prechecks=checks), drop_constraint))
    else:
        out.append(_undone(_statement(create_index_sql(index, schema, concurrently), plan,
                                      not concurrently, notes, prechecks=checks),
                           drop_statements(index, plan, schema, concurrently)))
    if index.comment:
        out.append(_comment(schema, index.name, index.comment, plan))
    return out


def _drop_built(name: str, plan: TablePlan, schema: str | None) -> list[Statement]:
    """``DROP INDEX CONCURRENTLY`` of an index the migration built concurrently (its
    version's down)."""
    return [_statement(f"DROP INDEX CONCURRENTLY {qualified(schema, name)};", plan, False)]


def drop_statements(index: Index, plan: TablePlan, schema: str | None,
                    online: bool) -> list[Statement]:
    """Statements that drop ``index`` (a constraint's index through ALTER TABLE)."""
    if index.constraint in ("p", "u", "x"):
        return [_undone(_statement(f"ALTER TABLE {qualified(schema, index.table)} DROP "
                                   f"CONSTRAINT {quote_ident(index.name)};", plan),
                        _undo_drop(index, plan, schema, False))]
    concurrently = online and plan.engine != "partitioned"
    keyword = "DROP INDEX CONCURRENTLY" if concurrently else "DROP INDEX"
    return [_undone(_statement(f"{keyword} {qualified(schema, index.name)};", plan,
                               not concurrently),
                    _undo_drop(index, plan, schema, concurrently))]


def _constraint_swap(old: Index, new: Index) -> bool:
    """True when the replacement swaps one constraint's index for another's."""
    return old.constraint in ("p", "u", "x") and new.constraint in ("p", "u", "x") and new.valid


def swap_statements(old: Index, new: Index, plan: TablePlan, schema: str | None, online: bool,
                    prechecks: bool) -> list[Statement]:
    """Replace a PRIMARY KEY / UNIQUE / EXCLUDE constraint by another in one ALTER TABLE
    (``DROP CONSTRAINT "old", ADD CONSTRAINT "new" ...``): one statement is atomic in every
    layout, so when the new constraint cannot be built (rows violate it) the old one stays.
    Online, a PRIMARY KEY / UNIQUE index is first built CONCURRENTLY under a temporary name
    while the old constraint still guards the table; the ALTER then swaps them and
    ``USING INDEX`` renames the index to the constraint's name."""
    table = qualified(schema, new.table)
    drop = f"DROP CONSTRAINT {quote_ident(old.name)}"
    concurrently = online and plan.engine != "partitioned" and new.constraint != "x"
    notes = _build_notes(new, plan, schema, online, prechecks and new.unique,
                         "swap_precheck_concurrently" if concurrently else "swap_precheck")
    checks = _checks(new, schema, prechecks and new.unique)
    if online and new.constraint == "x":
        notes.append(Note("migrate.postgresql.exclude_blocks"))
    out: list[Statement] = []
    if concurrently:
        temp = _free_build_name(new, plan)
        notes.append(_cleanup_note(new, temp, schema))
        out.append(_undone(_statement(create_index_sql(replace(new, name=temp), schema, True),
                                      plan, False, notes, prechecks=checks),
                           _drop_built(temp, plan, schema)))
        out.append(_undone(_attach_statement(new, temp, plan, schema, drop=f"{drop}, "),
                           _undo_attach(new, temp, plan, schema, old)))
    else:
        clause = exclude_clause(new) if new.constraint == "x" else key_constraint_clause(new)
        back = exclude_clause(old) if old.constraint == "x" else key_constraint_clause(old)
        undo = [_statement(f"ALTER TABLE {table} DROP CONSTRAINT {quote_ident(new.name)}, "
                           f"{back};", plan)]
        if old.comment:
            undo.append(_statement(comment_sql(schema, old.name, old.comment), plan))
        out.append(_undone(_statement(f"ALTER TABLE {table} {drop}, {clause};", plan,
                                      notes=notes, prechecks=checks), undo))
    if new.comment:
        out.append(_comment(schema, new.name, new.comment, plan))
    return out


def _cleanup_note(new: Index, temp: str, schema: str | None) -> Note:
    """What to do when the concurrent build under the temporary name fails (a unique
    build fails on the env's rows; a non-unique one only when cancelled or out of space)."""
    key = "build_first" if new.unique else "build_first_plain"
    return Note(f"migrate.postgresql.{key}", index=new.name, temp=temp,
                drop=f"DROP INDEX CONCURRENTLY {qualified(schema, temp)};")


def _build_first(old: Index, new: Index, plan: TablePlan, online: bool) -> bool:
    """True when the replacement puts a plain or PRIMARY KEY/UNIQUE index in place of one of
    the same name that is not a constraint swap and can be built CONCURRENTLY: built
    first, then swapped in (unique or not: queries never lose the index)."""
    return (online and plan.engine != "partitioned" and new.valid
            and new.constraint != "x" and old.name == new.name)


def rebuild_statements(old: Index, new: Index, plan: TablePlan, schema: str | None,
                       prechecks: bool) -> list[Statement]:
    """Replace an index without a moment the table lacks it: ``CREATE [UNIQUE] INDEX
    CONCURRENTLY "n_indexdrift_new"``, then ``DROP INDEX "n"`` (or DROP CONSTRAINT) and
    ``ALTER INDEX ... RENAME TO "n"`` (or ADD CONSTRAINT ... USING INDEX), marked as one
    transaction. When the build fails (rows break a new unique definition, or the build is
    cancelled) the old index is untouched; only the INVALID temporary index is left (the
    note says how to drop it). The swap takes a brief ACCESS EXCLUSIVE lock."""
    temp = _free_build_name(new, plan)
    # Only called online on an unpartitioned table: no partitioned-table note applies.
    notes = _build_notes(new, plan, schema, False, prechecks and new.unique,
                         "build_first_precheck")
    notes.append(_cleanup_note(new, temp, schema))
    out = [_undone(_statement(create_index_sql(replace(new, name=temp), schema, True), plan,
                              False, notes,
                              prechecks=_checks(new, schema, prechecks and new.unique)),
                   _drop_built(temp, plan, schema))]
    out += drop_statements(old, plan, schema, False)
    if new.constraint in ("p", "u"):
        out.append(_undone(_attach_statement(new, temp, plan, schema),
                           _undo_attach(new, temp, plan, schema)))
    else:
        out.append(_rename(schema, temp, new.name, plan))
    if new.comment:
        out.append(_comment(schema, new.name, new.comment, plan))
    return out


def replace_statements(op: ReplaceIndex, plan: TablePlan, schema: str | None, online: bool,
                       prechecks: bool) -> list[Statement]:
    """PostgreSQL's replacement of ``op.old`` by ``op.new``, the one place that chooses
    how: a rename and/or ``COMMENT ON INDEX`` when only those differ (the index stays), a
    constraint swap in one ALTER TABLE, a build under a temporary name swapped in
    afterwards (online, same name), else a drop and a create."""
    old, new = op.old, op.new
    if op.only_name_or_comment():
        out: list[Statement] = []
        if old.name != new.name:
            out.append(_rename(schema, old.name, new.name, plan))
        if old.comment != new.comment:
            out.append(_comment(schema, new.name, new.comment, plan, old.comment))
        return out
    if _constraint_swap(old, new):
        return swap_statements(old, new, plan, schema, online, prechecks)
    if _build_first(old, new, plan, online):
        return rebuild_statements(old, new, plan, schema, prechecks)
    return (drop_statements(old, plan, schema, online)
            + add_statements(new, plan, schema, online, prechecks))


def step_statements(step: Step, plan: TablePlan, schema: str | None, online: bool,
                    prechecks: bool, target: Target | None = None) -> list[Statement]:
    """The statements of one step, in order (foreign keys, checks and options through
    constraints_ddl)."""
    out: list[Statement] = []
    for op in step.ops:
        if isinstance(op, ConstraintOperation):
            notes = [Note("migrate.foreign_key_around", name=step.index_name)] if (
                step.reason == AROUND and not step.undo) else []
            for sql in constraints_ddl.constraint_sql(op, plan.table, schema, target):
                out.append(_statement(sql, plan, notes=notes))
                notes = []
            continue
        if isinstance(op, AddIndex):
            out += add_statements(op.index, plan, schema, online, prechecks)
        elif isinstance(op, DropIndex):
            out += drop_statements(op.index, plan, schema, online)
        elif isinstance(op, ReplaceIndex):
            out += replace_statements(op, plan, schema, online, prechecks)
        elif isinstance(op, RenameIndex):
            out.append(_rename(schema, op.old.name, op.new.name, plan))
        elif isinstance(op, SetVisibility):
            raise ValueError("PostgreSQL has no index visibility")
    return out


def table_statements(plan: TablePlan, steps: list[Step], target: Target, *, online: bool,
                     schema: str | None, large_table_bytes: int,
                     prechecks: bool) -> list[Statement]:
    """Statements for ``steps`` of one table, in order; the transactional statements of
    one step (a DROP INDEX + CREATE INDEX without CONCURRENTLY, say) are marked to run
    together (``Statement.opens_tx``)."""
    out: list[Statement] = []
    for step in steps:
        out += mark_atomic(step_statements(step, plan, schema, online, prechecks, target))
    return out


def mark_atomic(statements: list[Statement]) -> list[Statement]:
    """Mark each run of two or more consecutive executable transactional statements as one
    transaction; a CONCURRENTLY statement ends a run (it cannot run inside one)."""
    runs: list[list[Statement]] = [[]]
    for statement in statements:
        if not statement.executable:
            continue
        if statement.transactional:
            runs[-1].append(statement)
        else:
            runs.append([])
    for run in runs:
        if len(run) > 1:
            run[0].opens_tx = run[-1].closes_tx = True
    return statements


def held_statements(plan: TablePlan, target: Target, *, online: bool) -> list[Statement]:
    """Commented-out statements (with their reason) for steps that are held back."""
    # held_statements gets no schema: the names resolve through search_path.
    return held.held_statements(plan, "postgresql", lambda step: "\n".join(
        s.sql for s in step_statements(step, plan, None, online, False, target) if s.sql))
