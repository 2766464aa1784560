"""MySQL / MariaDB DDL for planned steps: one ALTER TABLE per table, quoted and escaped.

The target flavor and version decide the spelling (INVISIBLE vs IGNORED, RENAME INDEX),
and the online clauses each statement can promise (InnoDB online-DDL rules, see
explain/online.py for the manual pages; docs/migrations.md, "Online DDL", for users).
"""

from __future__ import annotations

import shlex

from indexdrift.core.target import Target
from indexdrift.ddl import held
from indexdrift.ddl.statement import Precheck, Statement, human_size, precheck_columns
from indexdrift.dialects.mysql import columns_ddl, constraints_ddl, innodb_online
from indexdrift.dialects.mysql.literals import (  # noqa: F401  (names re-exported)
    SQL_MODE_PIN,
    SQL_MODE_RESTORE,
    default_literal,
    depends_on_sql_mode,
    pin_sql_mode,
    pinned_statements,
    quote_ident,
    quote_string,
)
from indexdrift.dialects.mysql.session_ddl import (  # noqa: F401  (names re-exported)
    count_sql,
    guard_statement,
    script_preamble,
)
from indexdrift.model.tables import Index, KeyPart
from indexdrift.plan.notes import Note
from indexdrift.plan.objects import AROUND
from indexdrift.plan.ops import (
    AddCheck,
    AddColumn,
    AddForeignKey,
    AddIndex,
    DropCheck,
    DropColumn,
    DropForeignKey,
    DropIndex,
    ModifyColumn,
    Operation,
    RenameColumn,
    RenameIndex,
    ReplaceIndex,
    SetTableOptions,
    SetVisibility,
    Step,
    TablePlan,
    added_indexes,
    dropped_indexes,
)

ONLINE_ENGINES = innodb_online.ONLINE_ENGINES
# ddl/script.py gives this dialect a table's column step among its other steps: the
# columns, indexes, checks and options of a table change in one ALTER TABLE (an
# AUTO_INCREMENT column and its key, a column and the check or index on it, together).
COLUMNS_IN_TABLE_STATEMENTS = True
_COLUMN_OPS = (AddColumn, DropColumn, ModifyColumn, RenameColumn)
# Operations whose inverse the server runs otherwise (ADD CHECK and ADD FOREIGN KEY copy
# the table, their drops do not): a statement holding one is never commented out on a
# large table, so the migration and its rollback stay in step.
_CONSTRAINT_OPS = (AddForeignKey, DropForeignKey, AddCheck, DropCheck)


def key_part_sql(part: KeyPart, index: Index) -> str:
    """``col``, ``col(10)``, ``(expr)``, with DESC only where the index type allows it."""
    if part.column is None:
        text = f"({part.expression})"
    else:
        text = quote_ident(part.column)
        if part.sub_part is not None:
            text += f"({part.sub_part})"
    if part.descending and index.index_type == "BTREE":
        text += " DESC"
    return text


def _needs_using(index: Index, plan: TablePlan) -> str | None:
    """Emit USING only when the engine would otherwise pick another type."""
    if index.index_type == "HASH":
        return "HASH"
    if index.index_type == "BTREE" and (plan.has_hash or (plan.engine or "").upper()
                                        in ("MEMORY", "HEAP")):
        return "BTREE"
    return None


def index_sql(index: Index, target: Target, plan: TablePlan) -> str:
    """The definition after ADD: ``UNIQUE INDEX `n` (`a`) COMMENT '...' INVISIBLE``."""
    parts = "(" + ", ".join(key_part_sql(p, index) for p in index.parts) + ")"
    if index.primary:
        text = f"PRIMARY KEY {parts}"
    else:
        kind = {"FULLTEXT": "FULLTEXT INDEX", "SPATIAL": "SPATIAL INDEX"}.get(
            index.index_type, "UNIQUE INDEX" if index.unique else "INDEX")
        text = f"{kind} {quote_ident(index.name)} {parts}"
    using = _needs_using(index, plan)
    if using:
        text += f" USING {using}"
    if index.parser and index.index_type == "FULLTEXT":
        text += f" WITH PARSER {index.parser}"
    if index.comment:
        text += f" COMMENT {quote_string(index.comment)}"
    if not index.visible and not index.primary and target.visibility:
        text += f" {target.visibility}"
    return text


def visibility_sql(name: str, visible: bool, target: Target) -> str:
    """``ALTER INDEX `x` INVISIBLE`` (MySQL 8) or ``ALTER INDEX `x` IGNORED`` (MariaDB)."""
    if target.visibility == "INVISIBLE":
        return f"ALTER INDEX {quote_ident(name)} {'VISIBLE' if visible else 'INVISIBLE'}"
    if target.visibility == "IGNORED":
        return f"ALTER INDEX {quote_ident(name)} {'NOT IGNORED' if visible else 'IGNORED'}"
    raise ValueError(f"{target.label} has no index visibility")


def _drop_clause(index: Index) -> tuple[int, str]:
    return (0 if index.primary else 2,
            "DROP PRIMARY KEY" if index.primary else f"DROP INDEX {quote_ident(index.name)}")


def _add_clause(index: Index, target: Target, plan: TablePlan) -> tuple[int, str]:
    return 1 if index.primary else 4, f"ADD {index_sql(index, target, plan)}"


def op_clauses(op: Operation, target: Target, plan: TablePlan) -> list[tuple[int, str]]:
    """The ALTER TABLE clauses of one operation, each with its reading rank (primary key,
    drops, renames, adds, visibility). A replacement is ``DROP INDEX`` and ``ADD`` of the
    new definition: in one ALTER TABLE the server swaps them atomically.

    The server applies an ALTER TABLE as a whole, so the order is only for reviewers.
    """
    if isinstance(op, AddIndex):
        return [_add_clause(op.index, target, plan)]
    if isinstance(op, DropIndex):
        return [_drop_clause(op.index)]
    if isinstance(op, ReplaceIndex):
        return [_drop_clause(op.old), _add_clause(op.new, target, plan)]
    if isinstance(op, RenameIndex):
        return [(3, f"RENAME INDEX {quote_ident(op.old.name)} TO {quote_ident(op.new.name)}")]
    if isinstance(op, SetVisibility):
        return [(5, visibility_sql(op.index.name, op.index.visible, target))]
    if isinstance(op, DropForeignKey):
        return [(2, constraints_ddl.drop_foreign_key_clause(op.fk))]
    if isinstance(op, AddForeignKey):
        return [(4, constraints_ddl.add_foreign_key_clause(op.fk))]
    if isinstance(op, DropCheck):
        return [(2, constraints_ddl.drop_check_clause(op.check, target))]
    if isinstance(op, AddCheck):
        return [(4, constraints_ddl.add_check_clause(op.check, target))]
    if isinstance(op, SetTableOptions):
        return [(6, clause) for clause in constraints_ddl.option_clauses(op, plan.engine)]
    raise TypeError(op)


def column_part(ops: list[Operation], undo: bool) -> tuple[list[str], list[str]]:
    """The column clauses among ``ops`` (in the column writer's order: ``undo`` for a
    rollback's) and the notes they need."""
    columns = [op for op in ops if isinstance(op, _COLUMN_OPS)]
    if not columns:
        return [], []
    return columns_ddl.column_clauses(columns, rollback=undo)


def clauses_sql(ops: list[Operation], target: Target, plan: TablePlan,
                undo: bool = False) -> list[str]:
    """The clauses of ``ops`` in one statement, in reading order: the columns first, then
    a stable sort by rank (primary key, drops, renames, adds, visibility, options)."""
    ranked = [(rank, _restored_at(op, plan) if undo and rank in (1, 4) else 0, sql)
              for op in ops if not isinstance(op, _COLUMN_OPS)
              for rank, sql in op_clauses(op, target, plan)]
    return column_part(ops, undo)[0] + [sql for *_, sql in sorted(ranked,
                                                                  key=lambda c: c[:2])]


def _restored_at(op: Operation, plan: TablePlan) -> int:
    """Where a rollback's re-created index or check stood in the env's table: the server
    keeps keys (within their kind) and checks in the order they are added, so the rollback
    adds them in the env's own order and SHOW CREATE TABLE reads as before."""
    if isinstance(op, (AddIndex, ReplaceIndex)):
        index = op.index if isinstance(op, AddIndex) else op.new
        return plan.env_order.get(("index", index.name_key), -1)
    if isinstance(op, AddCheck):
        return plan.env_order.get(("check", op.check.name_key), -1)
    return -1


def online_clause(ops: list[Operation], plan: TablePlan) -> str | None:
    """``ALGORITHM=INPLACE, LOCK=NONE|SHARED`` where InnoDB can promise it, else None."""
    engine = (plan.engine or "").upper()
    if engine and engine not in ONLINE_ENGINES:
        return None
    if plan.has_hash:
        # HASH means MEMORY, or on InnoDB a MariaDB long unique key: while the table has
        # one, InnoDB refuses INPLACE / LOCK=NONE for any index change (error 1846).
        return None
    if any(isinstance(op, (*_COLUMN_OPS, AddForeignKey, AddCheck)) for op in ops) or any(
            isinstance(op, SetTableOptions) and constraints_ddl.changes_engine(op)
            for op in ops):
        # Column changes may need a copy; ADD CHECK and ADD FOREIGN KEY (with
        # foreign_key_checks on) and an engine change do: the server chooses.
        return None
    adds = added_indexes(ops)
    drops = dropped_indexes(ops)
    if any(ix.primary for ix in drops) and innodb_online.drop_primary_key_copies(
            any(ix.primary for ix in adds)):
        return None  # a lone DROP PRIMARY KEY needs COPY
    fulltext = sum(ix.index_type == "FULLTEXT" for ix in adds)
    if fulltext > innodb_online.FULLTEXT_PER_STATEMENT:
        return None
    if any(ix.index_type == "HASH" for ix in adds):
        return None
    if any(p.expression is not None for ix in adds for p in ix.parts):
        # A functional key part adds a hidden generated column too; leave the algorithm
        # to the server rather than promise an in-place, lock-free build.
        return None
    if any(innodb_online.add_index_lock(ix.index_type) == "SHARED" for ix in adds):
        return "ALGORITHM=INPLACE, LOCK=SHARED"
    return "ALGORITHM=INPLACE, LOCK=NONE"


def group_steps(steps: list[Step]) -> list[list[Step]]:
    """Consecutive ordinary steps share one statement; a ``separate`` step stands alone."""
    groups: list[list[Step]] = []
    current: list[Step] = []
    for step in steps:
        if step.separate:
            if current:
                groups.append(current)
                current = []
            groups.append([step])
        else:
            current.append(step)
    if current:
        groups.append(current)
    return groups


def alter_table_sql(table: str, ops: list[Operation], target: Target, plan: TablePlan,
                    online: bool, undo: bool = False) -> tuple[str, str | None]:
    """The full ALTER TABLE text and the online clause it carries (``undo``: the ops are
    a rollback's)."""
    clauses = clauses_sql(ops, target, plan, undo)
    lock = online_clause(ops, plan) if online else None
    if lock:
        clauses.append(lock)
    return f"ALTER TABLE {quote_ident(table)}\n  " + ",\n  ".join(clauses) + ";", lock


def unique_precheck(index: Index, table: str) -> str:
    """A query that lists duplicates that would make adding a UNIQUE index fail."""
    return unique_duplicates(index, table) + " LIMIT 10;"


def unique_duplicates(index: Index, table: str) -> str:
    """The SELECT (no ``;``) of the key groups that make adding ``index`` fail."""
    exprs = []
    for p in index.parts:
        if p.column is None:
            exprs.append(f"({p.expression})")
        elif p.sub_part is not None:
            exprs.append(f"LEFT({quote_ident(p.column)}, {p.sub_part})")
        else:
            exprs.append(quote_ident(p.column))
    cols = ", ".join(exprs)
    where = "" if index.primary else " WHERE " + " AND ".join(f"{e} IS NOT NULL" for e in exprs)
    having = "COUNT(*) > 1"
    if index.primary:
        # A NULL in a key column fails ADD PRIMARY KEY (error 1265) just like a duplicate.
        # (an aggregate: HAVING may not name a column that is only inside LEFT()).
        having += " OR SUM(" + " OR ".join(f"{e} IS NULL" for e in exprs) + ") > 0"
    return (f"SELECT {cols}, COUNT(*) AS duplicates FROM {quote_ident(table)}{where} "
            f"GROUP BY {cols} HAVING {having}")


def columns_ddl_targets(ops: list[Operation]) -> list[str]:
    """The names of the columns ``ops`` add or rename (new in the statement)."""
    return [op.column.name if isinstance(op, AddColumn) else op.target.name
            for op in ops if isinstance(op, (AddColumn, RenameColumn))]


def _osc_advice(table: str, schema: str | None, clauses: list[str]) -> list[str]:
    body = shlex.quote(", ".join(clauses))
    db = schema or "SCHEMA"
    return [
        f"pt-online-schema-change --alter {body} D={db},t={table} --execute",
        f"gh-ost --database={db} --table={table} --alter={body} --execute",
    ]


def table_statements(plan: TablePlan, steps: list[Step], target: Target, *, online: bool,
                     schema: str | None, large_table_bytes: int,
                     prechecks: bool) -> list[Statement]:
    """Statements for ``steps`` of one table, in order."""
    statements: list[Statement] = []
    for group in group_steps(steps):
        ops = [op for step in group for op in step.ops]
        undo = any(step.undo for step in group)
        sql, lock = alter_table_sql(plan.table, ops, target, plan, online, undo)
        notes: list[str] = list(column_part(ops, undo)[1])
        notes += [Note("migrate.foreign_key_around", name=step.index_name) for step in group
                  if step.reason == AROUND and not undo]
        checks: list[Precheck] = []
        # Columns this statement adds or renames do not exist before it: a check run
        # before it (--guard) could not read them.
        new = {c.lower() for c in columns_ddl_targets(ops)}
        if prechecks:
            for index in added_indexes(ops):
                if index.unique:
                    what = "PRIMARY KEY" if index.primary else f"UNIQUE {index.name}"
                    notes.append(Note("migrate.mysql.precheck_unique", what=what))
                    notes.append("  " + unique_precheck(index, plan.table))
                    check = Precheck(f"{what} on {plan.table}",
                                     unique_duplicates(index, plan.table),
                                     precheck_columns(index))
                    if not check.reads_any(new):
                        checks.append(check)
        commented = False
        if plan.size_bytes is not None and plan.size_bytes > large_table_bytes:
            if any(isinstance(op, (AddForeignKey, DropForeignKey)) for op in ops):
                # gh-ost cannot change foreign keys, pt-online-schema-change only with
                # --alter-foreign-keys-method: no command to copy here.
                notes.append(Note("migrate.mysql.large_table_fk",
                                  size=human_size(plan.size_bytes)))
            else:
                notes.append(Note("migrate.mysql.large_table",
                                  size=human_size(plan.size_bytes)))
                clauses = clauses_sql(ops, target, plan, undo)
                notes.extend("  " + line for line in _osc_advice(plan.table, schema, clauses))
            if lock != "ALGORITHM=INPLACE, LOCK=NONE":
                if any(isinstance(op, _CONSTRAINT_OPS) for op in ops):
                    notes.append(Note("migrate.mysql.large_table_kept"))
                else:
                    notes.append(Note("migrate.mysql.large_table_commented"))
                    commented = True
        statements += pinned_statements(Statement(sql=sql, table=plan.table, notes=notes,
                                                  commented=commented,
                                                  prechecks=tuple(checks)))
    return statements


def held_statements(plan: TablePlan, target: Target, *, online: bool) -> list[Statement]:
    """Commented-out statements (with their reason) for steps that are held back."""
    return held.held_statements(plan, "mysql", lambda step: pin_sql_mode(alter_table_sql(
        plan.table, step.ops, target, plan, online)[0]))
