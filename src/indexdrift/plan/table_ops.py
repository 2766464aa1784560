"""Operations on whole tables (issue 20): create, drop, rename; each with its exact inverse.

- ``CreateTable(table)``: a table the env lacks, created from the baseline's definition
  (its foreign keys in a later phase, once every table they point at exists); the
  inverse drops it again.
- ``texts`` of both: the stored definitions (SQLite's ``sqlite_schema``: the table's
  CREATE TABLE, its indexes') of the side the table was read from, which the model is
  exactly; a dialect that keeps such texts writes them as stored instead of from the
  model (a created table is then the baseline's text, a rollback's the env's own).
- ``DropTable(table)``: a table only the env has, dropped only with ``--drop-extra``
  (``unsafe``: its rows are lost); the inverse re-creates its structure, empty.
- ``RenameTable(old, new)``: ``--staged-drop`` renames a table to its holding name
  (``holding_name``) so that a later migration drops it; the inverse renames it back.
  Step 2 is ``DropTable`` of the table under its holding name (``renamed``), whose
  inverse re-creates it there, for step 1's rollback to rename back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from indexdrift.model.tables import SchemaObject, Table
from indexdrift.plan.ops import DATA_LOSS

HOLDING_PREFIX = "_indexdrift_dropped_"


@dataclass(frozen=True, slots=True)
class CreateTable:
    """Create ``table`` (columns, indexes, checks, options) as the baseline defines it."""

    table: Table
    texts: tuple[SchemaObject, ...] = ()

    def inverse(self) -> DropTable:
        """Dropping it again (it held no rows before the migration)."""
        return DropTable(self.table, self.texts)

    def unsafe(self) -> str | None:
        """Creating a table loses nothing."""
        return None


@dataclass(frozen=True, slots=True)
class DropTable:
    """Drop ``table``; its definition is kept so the rollback can re-create it (empty)."""

    table: Table
    texts: tuple[SchemaObject, ...] = ()

    def inverse(self) -> CreateTable:
        """Re-creating its structure (its rows are gone)."""
        return CreateTable(self.table, self.texts)

    def unsafe(self) -> str | None:
        """Dropping a table loses its rows: held unless --drop-extra."""
        return DATA_LOSS


@dataclass(frozen=True, slots=True)
class RenameTable:
    """Rename the table ``old`` to ``new`` (rows, indexes and constraints go with it).
    ``table``: its definition, for what a dialect renames with it (PostgreSQL: the
    sequences its serial and identity columns own)."""

    old: str
    new: str
    table: Table | None = None

    def inverse(self) -> RenameTable:
        """Renaming it back."""
        return RenameTable(self.new, self.old, self.table)

    def unsafe(self) -> str | None:
        """A rename keeps the rows."""
        return None


TableOperation = CreateTable | DropTable | RenameTable


def holding_name(table: str, version: str, max_bytes: int = 64) -> str:
    """``_indexdrift_dropped_<table>_<version>``: where ``--staged-drop`` keeps a table
    until a later migration drops it. A name longer than the database allows
    (``max_bytes``: MySQL 64 characters, PostgreSQL 63 bytes) keeps as much of the table's
    name as fits and an 8-digit hash of the whole, so two long names stay apart."""
    name = f"{HOLDING_PREFIX}{table}_{version}"
    if len(name.encode()) <= max_bytes:
        return name
    digest = hashlib.sha1(f"{table}\0{version}".encode()).hexdigest()[:8]
    tail = f"_{digest}_{version}"
    room = max_bytes - len(HOLDING_PREFIX.encode()) - len(tail.encode())
    if room < 1:
        raise ValueError(f"migration version {version!r} is too long for a holding name")
    head = table.encode()[:room].decode("utf-8", "ignore")
    return f"{HOLDING_PREFIX}{head}{tail}"


def renamed(table: Table, name: str) -> Table:
    """A copy of ``table`` named ``name``: its indexes, foreign keys and checks name the
    new table too, their own names kept. Names a server derives from the table's and
    renames with it are each dialect's ``table_ddl.renamed_table``."""
    return replace(
        table, name=name,
        indexes={key: replace(ix, table=name) for key, ix in table.indexes.items()},
        # a key of the table on itself follows it, as the servers rename it
        foreign_keys=tuple(replace(fk, table=name, ref_table=name if fk.ref_table == table.name
                                   and fk.ref_schema is None else fk.ref_table)
                           for fk in table.foreign_keys),
        checks=None if table.checks is None else {
            key: replace(check, table=name) for key, check in table.checks.items()},
        referenced_by=dict(table.referenced_by))
