"""MySQL / MariaDB DDL of whole tables: CREATE TABLE from the model, DROP TABLE, RENAME.

``create_table_statements`` writes one ``CREATE TABLE`` holding everything of the table but
its foreign keys, each part through the writer the migrations already use for it:

- the columns in column order (``columns_ddl.column_definition``), a MariaDB column-level
  CHECK inside its column's definition, where the server keeps it (a table-level check
  named after the column would be another constraint): the column's own
  (``Column.check``, JSON's implicit ``json_valid`` among them) or, when the column read
  did not know it, the ``CheckConstraint`` of that column;
- the primary key and every index inline (``ddl.index_sql``), in the order the catalog
  lists them, so an AUTO_INCREMENT column comes with its key (the server refuses one
  without) and SHOW CREATE TABLE lists the keys as the baseline's does;
- the table checks (``CONSTRAINT `n` CHECK (expr)``, ``NOT ENFORCED`` where the target has
  it);
- the options: ``ENGINE``, ``DEFAULT CHARSET`` and ``COLLATE``, ``ROW_FORMAT`` (none when it
  is the format the engine gives a table without one: the reader cannot tell the two
  apart, and none is what SHOW CREATE TABLE then shows), ``COMMENT``.

Foreign keys are added once every table they point at exists (``add_foreign_key_sql``,
an ``ALTER TABLE``). Literals follow ddl.py: a statement whose literals need backslash
escapes (comments, TEXT/BLOB defaults, a check's string) runs under the sql_mode pin
(``pinned_statements``). Statements name no schema, as every MySQL statement indexdrift
writes: a script runs in the schema it was made for.
"""

from __future__ import annotations

import re
from dataclasses import replace

from indexdrift.core.target import Target
from indexdrift.ddl.statement import Statement
from indexdrift.dialects.mysql.columns_ddl import column_definition

# A foreign key is written one way, whether its table is created or altered.
from indexdrift.dialects.mysql.constraints_ddl import foreign_key_sql
from indexdrift.dialects.mysql.ddl import index_sql, pinned_statements, quote_ident, quote_string
from indexdrift.model.tables import CheckConstraint, ForeignKey, Table
from indexdrift.plan.notes import Note
from indexdrift.plan.ops import TablePlan
from indexdrift.plan.table_ops import renamed

# The row format an engine gives a table declared without one (what the reader reports
# for such a table, dialects/mysql/objects.row_format): InnoDB the server's
# innodb_default_row_format, DYNAMIC unless a DBA changed it.
_IMPLIED_ROW_FORMAT = {"innodb": "DYNAMIC", "aria": "PAGE"}
# The longest name a staged drop's holding table gets (plan.table_ops.holding_name): the
# foreign keys InnoDB names after the table (``<table>_ibfk_<n>``) keep their whole name
# in 64 characters, so renaming the table back gives them their own again.
MAX_HOLDING_NAME = 48
# Option values go into the statement as words (ENGINE=InnoDB): anything else is refused.
_WORD = re.compile(r"[A-Za-z0-9_]+")


def _word(option: str, value: str) -> str:
    if not _WORD.fullmatch(value):
        raise ValueError(f"table option {option}={value!r} is not a plain word")
    return value


def _check_sql(check: CheckConstraint, target: Target) -> str:
    text = f"CHECK ({check.expression})"
    if not check.enforced and target.flavor == "mysql":
        text += " NOT ENFORCED"  # MySQL 8.0.16+; MariaDB has no such checks
    return text


def option_clauses(table: Table) -> list[str]:
    """``ENGINE=…``, ``DEFAULT CHARSET=… COLLATE=…``, ``ROW_FORMAT=…``, ``COMMENT=…`` of the
    table's options (``Table.options``; the engine from ``Table.engine`` when options
    were not read)."""
    options = table.options or {}
    engine = options.get("engine") or table.engine
    clauses = []
    if engine:
        clauses.append(f"ENGINE={_word('engine', engine)}")
    if options.get("charset"):
        clauses.append(f"DEFAULT CHARSET={_word('charset', options['charset'])}")
    if options.get("collation"):
        clauses.append(f"COLLATE={_word('collation', options['collation'])}")
    row_format = options.get("row_format")
    implied = _IMPLIED_ROW_FORMAT.get((engine or "").lower(), "DEFAULT")
    if row_format and row_format.upper() not in ("DEFAULT", implied):
        clauses.append(f"ROW_FORMAT={_word('row_format', row_format)}")
    if options.get("comment"):
        clauses.append(f"COMMENT={quote_string(options['comment'])}")
    return clauses


def cannot_create(table: Table) -> Note | None:
    """Why ``table`` cannot be created from the model (None when it can): its columns
    were not read."""
    if not table.columns:
        return Note("migrate.table.no_columns", table=table.name)
    return None


def create_table_sql(table: Table, target: Target) -> str:
    """The ``CREATE TABLE`` text of ``table`` without its foreign keys (see the module)."""
    reason = cannot_create(table)
    if reason is not None:
        raise ValueError(str(reason))
    checks = list((table.checks or {}).values())
    by_column: dict[str, list[CheckConstraint]] = {}
    for check in checks:
        if check.column is not None:
            by_column.setdefault(check.column.lower(), []).append(check)
    lines = []
    for column in sorted((table.columns or {}).values(), key=lambda c: c.position):
        text = column_definition(column)
        own = by_column.pop(column.name.lower(), [])
        if column.check is None:  # else the definition carries it (MariaDB 10.5.10+)
            text += "".join(" " + _check_sql(check, target) for check in own)
        lines.append(text)
    if by_column:
        raise ValueError(f"table {table.name}: a column check names no column of the table "
                         f"({', '.join(sorted(by_column))})")
    # USING BTREE only where the engine would pick HASH (MEMORY): the engine is known here,
    # unlike an ALTER TABLE's, which also writes it beside a long unique (HASH) key.
    plan = TablePlan(table.name, engine=(table.options or {}).get("engine") or table.engine)
    lines += [index_sql(index, target, plan) for index in table.indexes.values()]
    lines += [f"CONSTRAINT {quote_ident(c.name)} {_check_sql(c, target)}"
              for c in checks if c.column is None]
    tail = " ".join(option_clauses(table))
    return (f"CREATE TABLE {quote_ident(table.name)} (\n  " + ",\n  ".join(lines) + "\n)"
            + (f" {tail}" if tail else "") + ";")


def create_table_statements(table: Table, *, schema: str | None = None, target: Target,
                            rollback: bool = False) -> list[Statement]:
    """The statements that create ``table`` as the model has it, its foreign keys left
    out (``add_foreign_key_sql`` adds them once their parents exist). ``rollback``: the
    table is re-created by a rollback, whose note says its rows are not restored.
    ``schema`` is what every database's table DDL is given; MySQL's statements name none."""
    notes = [Note("migrate.table.recreated", table=table.name)] if rollback else []
    return pinned_statements(Statement(create_table_sql(table, target), table.name, notes))


def add_foreign_key_sql(fk: ForeignKey, *, schema: str | None = None) -> str:
    """``ALTER TABLE `child` ADD CONSTRAINT `n` FOREIGN KEY …;`` (no schema: see
    ``create_table_statements``)."""
    return f"ALTER TABLE {quote_ident(fk.table)} ADD {foreign_key_sql(fk)};"


def drop_table_statements(table: Table, *, schema: str | None = None) -> list[Statement]:
    """``DROP TABLE `t`;`` under the data-loss warning (the rollback re-creates the
    structure only)."""
    return [Statement(f"DROP TABLE {quote_ident(table.name)};", table.name,
                      [Note("migrate.table.drop_warning", table=table.name)])]


def rename_table_statement(old: str, new: str, *, schema: str | None = None) -> Statement:
    """``RENAME TABLE `old` TO `new`;`` (a staged drop's first step and its rollback)."""
    return Statement(f"RENAME TABLE {quote_ident(old)} TO {quote_ident(new)};", old)


def renamed_table(table: Table, new: str, *, target: Target) -> Table:
    """``table`` as the server has it after ``RENAME TABLE`` to ``new``: InnoDB renames
    the foreign keys named ``<table>_ibfk_<n>`` (the names it generates) after the new
    table, and MySQL 8 the checks named ``<table>_chk_<n>``; every other name stays."""
    out = renamed(table, new)

    def follow(name: str, infix: str) -> str:
        head = f"{table.name}{infix}".lower()
        rest = name[len(head):]
        return f"{new}{infix}{rest}" if name.lower().startswith(head) and rest.isdigit() \
            else name

    keys = tuple(replace(fk, name=follow(fk.name, "_ibfk_")) for fk in out.foreign_keys)
    checks = out.checks
    if checks is not None and target.flavor == "mysql":
        moved = [replace(c, name=follow(c.name, "_chk_")) for c in checks.values()]
        checks = {c.name_key: c for c in moved}
    return replace(out, foreign_keys=keys, checks=checks)
