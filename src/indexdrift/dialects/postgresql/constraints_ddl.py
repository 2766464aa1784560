"""PostgreSQL statements of foreign keys, CHECK constraints and table options (issue 20).

- ``ALTER TABLE t ADD CONSTRAINT "n" FOREIGN KEY (…) REFERENCES p (…) [MATCH FULL]
  [ON DELETE …] [ON UPDATE …] [DEFERRABLE [INITIALLY DEFERRED]] [NOT VALID]``;
- ``ALTER TABLE t ADD CONSTRAINT "n" CHECK (expr) [NO INHERIT] [NOT ENFORCED] [NOT VALID]``;
- ``ALTER TABLE t DROP CONSTRAINT "n"`` and ``ALTER TABLE t RENAME CONSTRAINT "a" TO "b"``
  for both;
- ``ALTER TABLE t SET LOGGED | UNLOGGED`` and ``COMMENT ON TABLE t IS …`` (``IS NULL``
  for no comment) for the options.

Every statement is transactional. Names are quoted with ``quote_ident`` (case kept); an
expression is the catalog's deparsed text (the reader pins standard_conforming_strings;
``exact_literals`` rewrites a literal with a backslash or a line break as ``E'…'``), and
an ``ON DELETE SET NULL (cols)`` column list is SQL as the reader quoted it.
"""

from __future__ import annotations

from indexdrift.core.target import Target
from indexdrift.dialects.postgresql.literals import (
    exact_literals,
    qualified,
    quote_ident,
    quote_string,
)
from indexdrift.model.tables import CheckConstraint, ForeignKey, deferrable_sql
from indexdrift.plan.ops import (
    AddCheck,
    AddForeignKey,
    DropCheck,
    DropForeignKey,
    RenameConstraint,
    SetTableOptions,
)

# pg_class.relpersistence as the reader names it -> the ALTER TABLE word.
_PERSISTENCE = {"permanent": "SET LOGGED", "unlogged": "SET UNLOGGED"}


def _columns(names: tuple[str, ...]) -> str:
    return "(" + ", ".join(quote_ident(c) for c in names) + ")"


def foreign_key_sql(fk: ForeignKey, schema: str | None) -> str:
    """``CONSTRAINT "n" FOREIGN KEY ("a") REFERENCES "s"."p" ("id") …``."""
    text = (f"CONSTRAINT {quote_ident(fk.name)} FOREIGN KEY {_columns(fk.columns)} "
            f"REFERENCES {qualified(fk.ref_schema or schema, fk.ref_table or '')} "
            f"{_columns(fk.ref_columns)}")
    if fk.match != "SIMPLE":
        text += f" MATCH {fk.match}"
    if fk.on_delete != "NO ACTION":
        text += f" ON DELETE {fk.on_delete}"
    if fk.on_update != "NO ACTION":
        text += f" ON UPDATE {fk.on_update}"
    if fk.deferrable:
        text += " " + deferrable_sql(fk.deferrable)
    if not fk.valid:
        text += " NOT VALID"
    return text


def check_sql(check: CheckConstraint, target: Target) -> str:
    """``CONSTRAINT "n" CHECK (expr) [NO INHERIT] [NOT ENFORCED] [NOT VALID]``."""
    text = f"CONSTRAINT {quote_ident(check.name)} CHECK ({exact_literals(check.expression)})"
    if check.no_inherit:
        text += " NO INHERIT"
    if not check.enforced and target.not_enforced_checks:
        text += " NOT ENFORCED"
    if not check.valid:
        text += " NOT VALID"
    return text


def option_sql(op: SetTableOptions, table: str) -> list[str]:
    """``ALTER TABLE t SET LOGGED|UNLOGGED;`` and ``COMMENT ON TABLE t IS …;``."""
    after = dict(op.after)
    out: list[str] = []
    if "persistence" in after:
        word = _PERSISTENCE.get(after["persistence"])
        if word is None:
            raise ValueError(f"unknown table persistence {after['persistence']!r}")
        out.append(f"ALTER TABLE {table} {word};")
    if "comment" in after:
        value = quote_string(after["comment"]) if after["comment"] else "NULL"
        out.append(f"COMMENT ON TABLE {table} IS {value};")
    return out


def constraint_sql(op, table_name: str, schema: str | None, target: Target) -> list[str]:
    """The statements of one foreign-key, check or option operation on ``table_name``."""
    table = qualified(schema, table_name)
    if isinstance(op, AddForeignKey):
        return [f"ALTER TABLE {table} ADD {foreign_key_sql(op.fk, schema)};"]
    if isinstance(op, AddCheck):
        return [f"ALTER TABLE {table} ADD {check_sql(op.check, target)};"]
    if isinstance(op, (DropForeignKey, DropCheck)):
        name = op.fk.name if isinstance(op, DropForeignKey) else op.check.name
        return [f"ALTER TABLE {table} DROP CONSTRAINT {quote_ident(name)};"]
    if isinstance(op, RenameConstraint):
        return [f"ALTER TABLE {table} RENAME CONSTRAINT {quote_ident(op.old.name)} TO "
                f"{quote_ident(op.new.name)};"]
    if isinstance(op, SetTableOptions):
        return option_sql(op, table)
    raise TypeError(op)

