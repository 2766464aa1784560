"""Column statements for PostgreSQL: what makes an env's columns match the baseline.

A changed column goes from its current definition to the target one in a fixed order, and
the rollback is the same walk from the target back to the env's own definition, so it is
exact by construction:

1. ``RENAME COLUMN`` (a rename the compare paired);
2. ``DROP IDENTITY`` / ``SET GENERATED`` (an identity column cannot lose NOT NULL, and
   one ALTER TABLE runs its actions in the server's pass order, not as written);
3. one ``ALTER TABLE`` with ``DROP DEFAULT`` (when the type changes: the old default may
   not cast), ``TYPE … [COLLATE …] [USING "c"::type]``, ``SET``/``DROP DEFAULT`` and
   ``SET``/``DROP NOT NULL``: the documented DROP DEFAULT, TYPE, SET DEFAULT pattern;
4. ``SET INCREMENT BY … SET MINVALUE … SET MAXVALUE … SET START WITH … SET CACHE …
   SET [NO] CYCLE`` when the declared options of an identity differ (all six, so the
   sequence ends exactly at the target's options; its current value is left alone). When
   the target's bounds do not hold the current ones, the bounds are widened first and a
   current value outside the target's moves past the rows within them (``setval``): a
   sequence cannot keep a value outside its bounds;
5. ``ADD GENERATED … AS IDENTITY [(options)]`` (needs NOT NULL and no default first), then
   ``setval`` so the new sequence starts past the rows already there;
6. ``COMMENT ON COLUMN``.

Held back, with the reason as a comment: column order (PostgreSQL cannot move a column;
``ADD COLUMN`` appends), serial ↔ plain (the owned sequence's name is not read), turning a
column into a generated one or back, a generation expression change before PostgreSQL 17
(``SET EXPRESSION``), and drops of extra columns without ``--drop-extra``.
"""

from __future__ import annotations

import re

from indexdrift.compare.columns import identity_options_differ
from indexdrift.core.target import Target
from indexdrift.ddl.statement import Statement
from indexdrift.dialects.postgresql.columns import identity_bounds, parse_identity_options
from indexdrift.dialects.postgresql.ddl import exact_literals, qualified, quote_ident, quote_string
from indexdrift.model.tables import Column
from indexdrift.plan.notes import Note
from indexdrift.plan.ops import AddColumn, DropColumn, TablePlan

_SERIAL = {"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}
# Types that assign to each other without USING (assignment casts exist within a family);
# anything else gets ``USING "c"::type``, an explicit cast that fails on values that do
# not convert instead of guessing.
_FAMILIES = (
    {"text", "character varying", "character", "bpchar", "name", "citext"},
    {"smallint", "integer", "bigint", "numeric", "real", "double precision"},
    {"timestamp without time zone", "timestamp with time zone", "date"},
    {"time without time zone", "time with time zone"},
    {"bit", "bit varying"},
)


def _base_type(type_text: str) -> str:
    """``character varying(20)`` → ``character varying``; ``timestamp(3) with time zone``
    → ``timestamp with time zone``; arrays keep their ``[]``."""
    return re.sub(r"\(\d+(,\d+)?\)", "", type_text).strip()


def needs_using(old: str, new: str) -> bool:
    """True when ``ALTER COLUMN … TYPE new`` needs an explicit ``USING`` from ``old``."""
    a, b = _base_type(old), _base_type(new)
    if a == b:
        return False
    if a.endswith("[]") != b.endswith("[]"):
        return True
    a, b = a.removesuffix("[]"), b.removesuffix("[]")
    return not any(a in family and b in family for family in _FAMILIES)


def _real_default(col: Column) -> str | None:
    """The default the column really has (``NULL``, nullable without a default, is none),
    its string literals written to mean the same under any standard_conforming_strings."""
    return None if col.default in (None, "NULL") else exact_literals(col.default)


def _start(opts: dict) -> int:
    """The START WITH of ``parse_identity_options`` options; CREATE SEQUENCE's default
    when they do not name it: at MINVALUE (descending: MAXVALUE)."""
    start = opts.get("start")
    if start is None:
        start = opts.get("min", 1) if opts.get("increment", 1) > 0 else opts.get("max", -1)
    return start


def identity_sets(options: str) -> list[str]:
    """``SET`` actions of ``ALTER COLUMN`` that give an identity sequence exactly
    ``options`` (``identity_options_text``): every option, the defaults spelled out
    (``NO MINVALUE``/``NO MAXVALUE`` resolve against the type and the new increment)."""
    opts = parse_identity_options(options)
    return [f"SET INCREMENT BY {opts.get('increment', 1)}",
            f"SET MINVALUE {opts['min']}" if "min" in opts else "SET NO MINVALUE",
            f"SET MAXVALUE {opts['max']}" if "max" in opts else "SET NO MAXVALUE",
            f"SET START WITH {_start(opts)}", f"SET CACHE {opts.get('cache', 1)}",
            "SET CYCLE" if opts["cycle"] else "SET NO CYCLE"]


def _identity_clause(col: Column) -> str:
    """``GENERATED ALWAYS AS IDENTITY [(START WITH 5 INCREMENT BY 2 …)]``."""
    options = f" ({col.identity_options})" if col.identity_options else ""
    return f"GENERATED {col.identity} AS IDENTITY{options}"


def column_definition(col: Column) -> str:
    """The full column definition as ``ADD COLUMN`` takes it (and the reports show it)."""
    type_text = col.column_type
    if col.auto_increment and type_text in _SERIAL:
        type_text = _SERIAL[type_text]
    parts = [quote_ident(col.name), type_text]
    if col.collation:
        parts.append(f"COLLATE {col.collation}")
    if col.generated:
        parts.append(f"GENERATED ALWAYS AS ({exact_literals(col.expression or '')}) STORED")
    if col.identity:
        parts.append(_identity_clause(col))
    if not col.nullable:
        parts.append("NOT NULL")
    default = _real_default(col)
    if default is not None:
        parts.append(f"DEFAULT {default}")
    return " ".join(parts)


class _Writer:
    """Statements of one table in one direction, with held reasons."""

    def __init__(self, table: str, schema: str | None, target: Target) -> None:
        self.table = table
        self.name = qualified(schema, table)
        self.target = target
        self.statements: list[Statement] = []
        self.held: list[str] = []

    def add(self, sql: str, notes: list[str] | None = None) -> None:
        self.statements.append(Statement(sql, self.table, list(notes or [])))

    def alter(self, clauses: list[str], notes: list[str] | None = None) -> None:
        if clauses:
            self.add(f"ALTER TABLE {self.name}\n  " + ",\n  ".join(clauses) + ";", notes)

    def comment(self, column: str, text: str) -> None:
        value = quote_string(text) if text else "NULL"
        self.add(f"COMMENT ON COLUMN {self.name}.{quote_ident(column)} IS {value};")

    def add_column(self, col: Column, notes: list[str]) -> None:
        clauses = [f"ADD COLUMN {column_definition(col)}"]
        if col.auto_increment and col.nullable:
            clauses.append(f"ALTER COLUMN {quote_ident(col.name)} DROP NOT NULL")
        self.alter(clauses, notes)
        if col.comment:
            self.comment(col.name, col.comment)

    def change(self, current: Column, target: Column) -> None:
        """Statements taking ``current`` to ``target`` (same column, maybe renamed)."""
        col = quote_ident(target.name)
        if current.name != target.name:
            self.add(f"ALTER TABLE {self.name} RENAME COLUMN {quote_ident(current.name)} "
                     f"TO {col};")
        if current.identity and target.identity != current.identity:
            action = (f"SET GENERATED {target.identity}" if target.identity
                      else "DROP IDENTITY")
            self.alter([f"ALTER COLUMN {col} {action}"])
        serial_differs = current.auto_increment != target.auto_increment
        if serial_differs:
            self.held.append(Note("migrate.column.postgresql.serial_held", column=target.name,
                                  current=_yes(current.auto_increment),
                                  wanted=_yes(target.auto_increment)))
        generated = self._generation(current, target, col)
        clauses: list[str] = []
        old_default, new_default = _real_default(current), _real_default(target)
        type_changes = (current.column_type != target.column_type
                        or current.collation != target.collation)
        if serial_differs or (current.generated is None) != (target.generated is None):
            # Held above: the nextval default / the generation expression stays as it is.
            old_default = new_default = None
        if type_changes:
            if old_default is not None:
                clauses.append(f"ALTER COLUMN {col} DROP DEFAULT")
                old_default = None
            using = (f" USING {col}::{target.column_type}"
                     if needs_using(current.column_type, target.column_type) else "")
            collate = f" COLLATE {target.collation}" if target.collation else ""
            clauses.append(f"ALTER COLUMN {col} TYPE {target.column_type}{collate}{using}")
        if new_default != old_default:
            clauses.append(f"ALTER COLUMN {col} SET DEFAULT {new_default}"
                           if new_default is not None else f"ALTER COLUMN {col} DROP DEFAULT")
        if current.nullable != target.nullable:
            clauses.append(f"ALTER COLUMN {col} {'DROP' if target.nullable else 'SET'} NOT NULL")
        notes = []
        if not target.nullable and current.nullable:
            notes.append(Note("migrate.column.postgresql.precheck_not_null", column=target.name,
                              query=f"SELECT count(*) FROM {self.name} WHERE {col} IS NULL;"))
        if type_changes and needs_using(current.column_type, target.column_type):
            notes.append(Note("migrate.column.postgresql.using_cast", column=target.name))
        self.alter(clauses, notes)
        if identity_options_differ(current, target):
            self._bounds_first(current, target, col)
            self.alter([f"ALTER COLUMN {col} " + " ".join(identity_sets(
                target.identity_options or ""))],
                [Note("migrate.column.postgresql.identity_options", column=target.name)])
        self.statements.extend(generated)
        if target.identity and not current.identity:
            self.alter([f"ALTER COLUMN {col} ADD {_identity_clause(target)}"])
            self.add(self._setval(target, col),
                     [Note("migrate.column.postgresql.identity_setval")])
        if current.comment != target.comment:
            self.comment(target.name, target.comment)

    def _setval(self, target: Column, col: str) -> str:
        """``setval`` that moves a new identity sequence past the rows already there (and
        never outside its declared bounds: not below its start, or above when it counts
        down)."""
        seq = f"pg_get_serial_sequence({quote_string(self.name)}, {quote_string(target.name)})"
        if not target.identity_options:
            value = f"COALESCE(max({col}), 0) + 1"
        else:
            opts = parse_identity_options(target.identity_options)
            start = _start(opts)
            value = (f"GREATEST(COALESCE(max({col}) + 1, {start}), {start})"
                     if opts.get("increment", 1) > 0
                     else f"LEAST(COALESCE(min({col}) - 1, {start}), {start})")
        return f"SELECT setval({seq}, {value}, false) FROM {self.name};"

    def _bounds_first(self, current: Column, target: Column, col: str) -> None:
        """When the target's MINVALUE/MAXVALUE do not hold the current ones, the sequence's
        current value may lie outside them, and setting them fails ("RESTART value (-200)
        cannot be less than MINVALUE (-100)"): first widen the bounds to hold both, then
        move a current value outside the target's (or one never used) to the first value
        past the rows within them; the SETs that follow then narrow them. A value inside
        stays. Bounds are those of the column's new type (ALTER TYPE ran before)."""
        seq_type = target.column_type
        low, high = identity_bounds(current.identity_options or "", seq_type)
        new_low, new_high = identity_bounds(target.identity_options or "", seq_type)
        if new_low <= low and high <= new_high:
            return
        self.alter([f"ALTER COLUMN {col} SET MINVALUE {min(low, new_low)} "
                    f"SET MAXVALUE {max(high, new_high)}"],
                   [Note("migrate.column.postgresql.identity_bounds", column=target.name,
                         low=new_low, high=new_high)])
        opts = parse_identity_options(target.identity_options or "")
        start, inside = _start(opts), f"BETWEEN {new_low} AND {new_high}"
        past = (f"GREATEST(COALESCE(max({col}) + 1, {start}), {start})"
                if opts.get("increment", 1) > 0
                else f"LEAST(COALESCE(min({col}) - 1, {start}), {start})")
        seq = f"pg_get_serial_sequence({quote_string(self.name)}, {quote_string(target.name)})"
        self.add(f"SELECT setval(s.seq, CASE WHEN s.last {inside} THEN s.last\n"
                 f"  ELSE (SELECT {past} FROM {self.name} WHERE {col} {inside}) END,\n"
                 f"  COALESCE(s.last {inside}, false))\n"
                 f"FROM (SELECT q.seq, pg_sequence_last_value(q.seq) AS last\n"
                 f"      FROM (SELECT {seq}::regclass AS seq) AS q) AS s;")

    def _generation(self, current: Column, target: Column, col: str) -> list[Statement]:
        """SET EXPRESSION (PostgreSQL 17+) for a changed expression, else a held reason."""
        if (current.generated, current.expression) == (target.generated, target.expression):
            return []
        if current.generated and target.generated and self.target.set_generated_expression:
            return [Statement(f"ALTER TABLE {self.name} ALTER COLUMN {col} SET EXPRESSION AS "
                              f"({exact_literals(target.expression or '')});", self.table)]
        why = Note("migrate.column.postgresql.expression_needs_17"
                   if current.generated and target.generated
                   else "migrate.column.postgresql.generated_in_place")
        self.held.append(Note("migrate.column.postgresql.generation_held", column=target.name,
                              expression=target.expression
                              or Note("migrate.column.postgresql.no_expression"), why=why))
        return []


def _yes(flag: bool) -> Note:
    return Note("migrate.column.postgresql.yes" if flag else "migrate.column.postgresql.no")


def _after(column: str | None) -> Note:
    """Where the baseline has a column: after ``column``, or first."""
    if not column:
        return Note("migrate.column.postgresql.first")
    return Note("migrate.column.postgresql.after", column=column)


def _appends_in_place(col: Column, baseline: dict[str, Column], missing: set[str]) -> bool:
    """True when adding ``col`` at the end leaves it where the baseline has it: every
    baseline column after it is missing too (and is added after it)."""
    later = [c for c in baseline.values() if c.position > col.position]
    return all(c.name_key in missing for c in later)


def _up(writer: _Writer, ops: list, baseline: dict[str, Column]) -> None:
    """The plan's column operations, in its order, with the notes and held reasons of the
    way up (a column appended elsewhere than the baseline has it, an order change)."""
    missing = {op.column.name_key for op in ops if isinstance(op, AddColumn)}
    for op in ops:
        if isinstance(op, AddColumn):
            col = op.column
            notes = []
            if not _appends_in_place(col, baseline, missing):
                notes.append(Note("migrate.column.postgresql.appended", column=col.name,
                                  after=_after(op.after)))
            if not col.nullable and _real_default(col) is None and not (
                    col.identity or col.auto_increment or col.generated):
                notes.append(Note("migrate.column.postgresql.not_null_no_default",
                                  table=writer.table))
            writer.add_column(col, notes)
        elif isinstance(op, DropColumn):
            writer.add(f"ALTER TABLE {writer.name} DROP COLUMN {quote_ident(op.column.name)};",
                       [Note("migrate.column.postgresql.drop_warning", column=op.column.name)])
        else:
            writer.change(op.current, op.target)
            if op.move:
                writer.held.append(Note("migrate.column.postgresql.order_held",
                                        column=op.target.name, after=_after(op.after)))


def _down(writer: _Writer, ops: list) -> None:
    """The inverse operations (the plan's, reversed): the dropped columns come back
    first, in the env's column order (ADD COLUMN appends), then each other operation is
    undone, the last one first. Held reasons are those of the way up, not repeated."""
    for op in sorted((op for op in ops if isinstance(op, AddColumn)),
                     key=lambda op: op.column.position):
        writer.add_column(op.column, [])
    for op in ops:
        if isinstance(op, DropColumn):
            writer.alter([f"DROP COLUMN {quote_ident(op.column.name)}"])
        elif not isinstance(op, AddColumn):
            writer.change(op.current, op.target)


def column_statements(plan: TablePlan, *, schema: str | None, target: Target
                      ) -> tuple[list[Statement], list[Statement], list[Statement]]:
    """(up, down, held) statements of the table's column steps (down: the inverse of the
    plan); held: the reasons for what cannot be done in place, then the kept drops.

    The baseline's columns tell whether an added column lands where the baseline has it;
    without them every non-last addition is assumed to land elsewhere.
    """
    up, down = _Writer(plan.table, schema, target), _Writer(plan.table, schema, target)
    for step in plan.column_steps:
        _up(up, step.ops, plan.baseline_columns or {})
        _down(down, step.inverse().ops)
    held = [Statement("", plan.table, [reason]) for reason in up.held]
    for kept in plan.column_held:
        for op in kept.step.ops:
            name = op.column.name  # type: ignore[union-attr]
            held.append(Statement(f"ALTER TABLE {up.name} DROP COLUMN {quote_ident(name)};",
                                  plan.table, [Note("migrate.column.kept", column=name)],
                                  commented=True))
    if schema and schema != "public":
        # The reader wrote the schema's own types and sequences unqualified (its
        # search_path was the schema): resolve them the same way here.
        path = Statement(f"SET search_path TO {quote_ident(schema)}, public;", plan.table)
        return ([path] + up.statements if up.statements else [],
                [path] + down.statements if down.statements else [], held)
    return up.statements, down.statements, held
