"""Online-DDL effect of each kind of clause: (level, notes).

MySQL/MariaDB: InnoDB online DDL tables (MySQL 8.0 Reference Manual 15.12.1 "Online DDL
Operations", index and column operations; MariaDB "InnoDB Online DDL Operations with the
INSTANT/NOCOPY/INPLACE Alter Algorithm"); what migrate promises from them is in
docs/migrations.md ("Online DDL"), what explain reports in docs/explain.md;
the index rules the DDL writer shares are in dialects/mysql/innodb_online.py (the
registry's ``online_rules``).
PostgreSQL: the ALTER TABLE, CREATE INDEX and DROP INDEX reference pages (lock levels,
table rewrites, CONCURRENTLY).
"""

from __future__ import annotations

from functools import cache
from types import ModuleType

from indexdrift.core import registry as dialects
from indexdrift.explain.model import COPY, DEPENDS, INPLACE, LOCKED, METADATA, REBUILD, Phrase
from indexdrift.explain.parser import POSTGRES

Effect = tuple[str | None, list[Phrase]]


@cache
def _rules(dialect: str) -> ModuleType:
    """The online-DDL rules the database parsed as ``dialect`` shares with its DDL writer
    (``Dialect.online_rules``: InnoDB's for MySQL/MariaDB)."""
    return dialects.of_explain(dialect).module("online_rules")


def _n(key: str, **values: object) -> Phrase:
    return Phrase(f"explain.note.{key}", values)


def add_index(dialect: str, kind: str | None, constraint: bool = False) -> Effect:
    """ADD [UNIQUE|FULLTEXT|SPATIAL] INDEX (MySQL) or ADD UNIQUE constraint (PostgreSQL)."""
    if dialect == POSTGRES:
        return LOCKED, [_n("pg_constraint_index")]
    if _rules(dialect).add_index_lock(kind) == "SHARED":
        return LOCKED, [_n(kind.lower())]  # explain.note.fulltext / .spatial
    return INPLACE, []


def add_primary_key(dialect: str, drops_pk: bool) -> Effect:
    """ADD PRIMARY KEY: the clustered index, so InnoDB rebuilds the table."""
    if dialect == POSTGRES:
        return LOCKED, [_n("pg_constraint_index")]
    return REBUILD, [_n("pk_rebuild")]


def drop_primary_key(dialect: str, adds_pk: bool) -> Effect:
    """DROP PRIMARY KEY (MySQL): a copy alone, an in-place rebuild together with ADD
    PRIMARY KEY."""
    if _rules(dialect).drop_primary_key_copies(adds_pk):
        return COPY, [_n("pk_drop_alone")]
    return REBUILD, [_n("pk_replace")]


def drop_index(dialect: str, concurrently: bool) -> Effect:
    """DROP INDEX (and PostgreSQL DROP INDEX CONCURRENTLY)."""
    if dialect == POSTGRES:
        if concurrently:
            return METADATA, [_n("pg_concurrently_no_tx"), _n("pg_drop_concurrently")]
        return METADATA, [_n("pg_access_exclusive")]
    return METADATA, [_n("drop_index")]


def create_index(dialect: str, concurrently: bool) -> Effect:
    """CREATE INDEX: PostgreSQL blocks writes unless CONCURRENTLY; MySQL builds in place."""
    if dialect == POSTGRES:
        if concurrently:
            return INPLACE, [_n("pg_concurrently_no_tx"), _n("pg_create_concurrently")]
        return LOCKED, [_n("pg_create_blocks_writes")]
    return INPLACE, []


def rename_index(dialect: str) -> Effect:
    """RENAME INDEX / ALTER INDEX … RENAME TO: a catalog change."""
    return METADATA, []


def visibility() -> Effect:
    """ALTER INDEX … [IN]VISIBLE / [NOT] IGNORED."""
    return METADATA, [_n("visibility")]


def add_foreign_key(dialect: str) -> Effect:
    """ADD FOREIGN KEY: existing rows are checked."""
    if dialect == POSTGRES:
        return LOCKED, [_n("pg_fk")]
    return COPY, [_n("fk_checks")]


def drop_foreign_key(dialect: str) -> Effect:
    """DROP FOREIGN KEY: a catalog change."""
    return METADATA, []


def drop_constraint(dialect: str) -> Effect:
    """PostgreSQL DROP CONSTRAINT (drops the index a PK/UNIQUE constraint owns)."""
    return METADATA, [_n("pg_access_exclusive")]


def add_column(dialect: str, stored_generated: bool, auto_increment: bool) -> Effect:
    """ADD COLUMN."""
    if dialect == POSTGRES:
        return METADATA, [_n("pg_add_column")]
    if auto_increment:
        return COPY, [_n("add_auto_increment")]
    if stored_generated:
        return COPY, [_n("stored_generated")]
    return METADATA, [_n("instant_column")]


def drop_column(dialect: str) -> Effect:
    """DROP COLUMN."""
    if dialect == POSTGRES:
        return METADATA, [_n("pg_drop_column")]
    return METADATA, [_n("instant_column"), _n("data_loss")]


def rename_column(dialect: str) -> Effect:
    """RENAME COLUMN a TO b (keeps the definition)."""
    return METADATA, []


def modify_column(stored_generated: bool, auto_increment: bool) -> Effect:
    """MODIFY/CHANGE COLUMN: the cost depends on what differs from the current definition."""
    return DEPENDS, [_n("modify_depends")]


def alter_type(dialect: str) -> Effect:
    """PostgreSQL ALTER COLUMN … TYPE."""
    return COPY, [_n("pg_alter_type")]


def set_default(dialect: str) -> Effect:
    """SET/DROP DEFAULT, column comments: catalog changes."""
    return METADATA, []


def set_not_null(dialect: str) -> Effect:
    """PostgreSQL SET NOT NULL: every row is checked under an ACCESS EXCLUSIVE lock."""
    return LOCKED, [_n("pg_set_not_null")]


def drop_not_null(dialect: str) -> Effect:
    """PostgreSQL DROP NOT NULL: a catalog change."""
    return METADATA, []


def add_constraint_using_index(kind: str) -> Effect:
    """ADD CONSTRAINT … {UNIQUE | PRIMARY KEY} USING INDEX: the index exists already."""
    notes = [_n("pg_using_index")]
    if kind == "PRIMARY KEY":
        notes.append(_n("pg_using_index_pk"))
    return METADATA, notes


def add_exclude() -> Effect:
    """ADD CONSTRAINT … EXCLUDE: builds its index (no concurrent form) while blocking
    writes, checking every row."""
    return LOCKED, [_n("pg_exclude")]


def identity(action: str) -> Effect:
    """ALTER COLUMN … ADD/SET/DROP identity: catalog and sequence changes, no rewrite."""
    if action == "ADD":
        return METADATA, [_n("pg_access_exclusive"), _n("pg_identity_add")]
    return METADATA, [_n("pg_access_exclusive")]


def setval() -> Effect:
    """SELECT setval(…): moves a sequence; not DDL, and not undone by a rollback."""
    return None, [_n("pg_setval")]
