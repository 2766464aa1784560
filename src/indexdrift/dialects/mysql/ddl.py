"""MySQL / MariaDB DDL for planned steps: one ALTER TABLE per table, quoted and escaped.

The target flavor and version decide the spelling (INVISIBLE vs IGNORED, RENAME INDEX),
and the online clauses each statement can promise (InnoDB online-DDL rules, see
explain/online.py for the manual pages; docs/migrations.md, "Online DDL", for users).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import replace

from indexdrift.core.target import Target
from indexdrift.ddl import held
from indexdrift.ddl.statement import Statement
from indexdrift.dialects.mysql import innodb_online
from indexdrift.model.tables import Index, KeyPart
from indexdrift.plan.notes import Note
from indexdrift.plan.ops import (
    AddIndex,
    DropIndex,
    Operation,
    RenameIndex,
    ReplaceIndex,
    SetVisibility,
    Step,
    TablePlan,
    added_indexes,
    dropped_indexes,
)

ONLINE_ENGINES = innodb_online.ONLINE_ENGINES


def quote_ident(name: str) -> str:
    """A backtick-quoted identifier, embedded backticks doubled."""
    return "`" + name.replace("`", "``") + "`"


# Characters a plain '…' literal cannot hold as they are: a backslash (an escape, or not,
# by NO_BACKSLASH_ESCAPES), the line breaks (no literal may span lines: line-oriented tools
# such as Liquibase's formatted SQL read a line that starts with --rollback as a
# directive), NUL and Ctrl-Z (end of input for some clients).
_NEEDS_ESCAPE = re.compile(r"[\\\n\r\0\x1a]")
# A DEFAULT can be hex: it is for every control character but tab, and for the other
# line boundaries (U+0085, U+2028, U+2029), which a plain literal would hold raw.
_NOT_PLAIN = re.compile("[\\\\\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_BACKSLASH_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\0": "\\0", "\x1a": "\\Z"}


def quote_string(text: str) -> str:
    """A single-quoted string literal (quotes doubled) for a position that takes nothing
    but a plain literal (COMMENT of an index, column or table).

    Text without a backslash, line break, NUL or Ctrl-Z is written as it is and means the
    same under any sql_mode. Anything else needs backslash escapes (``\\\\``, ``\\n``): no
    plain literal holds a backslash under both readings, so the statement around it is
    pinned to the backslash-escaping mode (``pin_sql_mode``)."""
    body = text.replace("'", "''")
    if _NEEDS_ESCAPE.search(text):
        body = _NEEDS_ESCAPE.sub(lambda m: _BACKSLASH_ESCAPES[m.group(0)], body)
    return "'" + body + "'"


# Column types whose DEFAULT MariaDB keeps as expression text (re-read when the table is
# opened) instead of the value: a hex literal there comes back mangled (10.11 turns
# ``_utf8mb4 0x610a62`` into ``_utf8mb4'ax0Ab'``), a backslash-escaped literal stays exact.
_EXPRESSION_DEFAULT_TYPES = re.compile(r"^(tiny|medium|long)?(text|blob)\b|^json\b|^long\b")


def default_literal(value: str, column_type: str = "") -> str:
    """A string value where an expression may stand (a column DEFAULT): ``'…'`` when that
    reads the same under any sql_mode, else the exact UTF-8 bytes ``_utf8mb4 0x…``, which
    the server stores (and shows) as the plain literal of the same value. On a TEXT/BLOB
    column, whose default the server keeps as text, the backslash-escaped ``quote_string``
    form instead (its statement then runs under the sql_mode pin)."""
    if not _NOT_PLAIN.search(value):
        return "'" + value.replace("'", "''") + "'"
    if _EXPRESSION_DEFAULT_TYPES.match(column_type.lower()):
        return quote_string(value)
    return "_utf8mb4 0x" + value.encode("utf-8").hex()


# SQL text split into backtick identifiers, string literals (read with backslash escapes)
# and everything between.
_TOKENS = re.compile(r"`(?:[^`]|``)*`|'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.|\"\")*\"|[^`'\"]+|.",
                     re.DOTALL)

# One statement saves the session's sql_mode and drops NO_BACKSLASH_ESCAPES from it (every
# other mode kept); the value of each assignment is read before any is made.
SQL_MODE_PIN = ("SET @indexdrift_sql_mode = @@SESSION.sql_mode, SESSION sql_mode = "
                "TRIM(BOTH ',' FROM REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), "
                "',NO_BACKSLASH_ESCAPES,', ','));")
SQL_MODE_RESTORE = "SET SESSION sql_mode = @indexdrift_sql_mode;"


def depends_on_sql_mode(sql: str) -> bool:
    """True when a string literal in ``sql`` holds a backslash: NO_BACKSLASH_ESCAPES
    would then change what it says (or where it ends)."""
    return any(token[0] in "'\"" and "\\" in token for token in _TOKENS.findall(sql))


def pin_sql_mode(sql: str) -> str:
    """``sql`` with the pin and the restore around it as one text (for a commented-out
    statement: it stays exact when someone runs it), or as it is when no literal of it
    has a backslash."""
    if not depends_on_sql_mode(sql):
        return sql
    return "\n".join((SQL_MODE_PIN, sql, SQL_MODE_RESTORE))


def pinned_statements(statement: Statement) -> list[Statement]:
    """An executable statement whose literals need backslash escapes, between a statement
    that turns NO_BACKSLASH_ESCAPES off (saying why) and one that restores the session's
    sql_mode: it then does exactly what it shows under any server setting, and every
    tool keeps the three together (one table's statements stay in one file / changeset).
    Any other statement comes back alone (a commented-out one pinned inside its text)."""
    if not depends_on_sql_mode(statement.sql):
        return [statement]
    if statement.commented:
        return [replace(statement, sql=pin_sql_mode(statement.sql))]
    pin = Statement(SQL_MODE_PIN, statement.table, [Note("migrate.mysql.sql_mode_pinned")])
    return [pin, statement, Statement(SQL_MODE_RESTORE, statement.table)]


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
    raise TypeError(op)


def clauses_sql(ops: list[Operation], target: Target, plan: TablePlan) -> list[str]:
    """The clauses of ``ops`` in one statement, in reading order (a stable sort by rank)."""
    ranked = [clause for op in ops for clause in op_clauses(op, target, plan)]
    return [sql for _, sql in sorted(ranked, key=lambda clause: clause[0])]


def online_clause(ops: list[Operation], plan: TablePlan) -> str | None:
    """``ALGORITHM=INPLACE, LOCK=NONE|SHARED`` where InnoDB can promise it, else None."""
    engine = (plan.engine or "").upper()
    if engine and engine not in ONLINE_ENGINES:
        return None
    if plan.has_hash:
        # HASH means MEMORY, or on InnoDB a MariaDB long unique key: while the table has
        # one, InnoDB refuses INPLACE / LOCK=NONE for any index change (error 1846).
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
                    online: bool) -> tuple[str, str | None]:
    """The full ALTER TABLE text and the online clause it carries."""
    clauses = clauses_sql(ops, target, plan)
    lock = online_clause(ops, plan) if online else None
    if lock:
        clauses.append(lock)
    return f"ALTER TABLE {quote_ident(table)}\n  " + ",\n  ".join(clauses) + ";", lock


def unique_precheck(index: Index, table: str) -> str:
    """A query that lists duplicates that would make adding a UNIQUE index fail."""
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
            f"GROUP BY {cols} HAVING {having} LIMIT 10;")


def human_size(size: int) -> str:
    """``1.5 GiB`` style size."""
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"


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
        sql, lock = alter_table_sql(plan.table, ops, target, plan, online)
        notes: list[str] = []
        if prechecks:
            for index in added_indexes(ops):
                if index.unique:
                    what = "PRIMARY KEY" if index.primary else f"UNIQUE {index.name}"
                    notes.append(Note("migrate.mysql.precheck_unique", what=what))
                    notes.append("  " + unique_precheck(index, plan.table))
        commented = False
        if plan.size_bytes is not None and plan.size_bytes > large_table_bytes:
            notes.append(Note("migrate.mysql.large_table", size=human_size(plan.size_bytes)))
            clauses = clauses_sql(ops, target, plan)
            notes.extend("  " + line for line in _osc_advice(plan.table, schema, clauses))
            if lock != "ALGORITHM=INPLACE, LOCK=NONE":
                notes.append(Note("migrate.mysql.large_table_commented"))
                commented = True
        statements += pinned_statements(Statement(sql=sql, table=plan.table, notes=notes,
                                                  commented=commented))
    return statements


def held_statements(plan: TablePlan, target: Target, *, online: bool) -> list[Statement]:
    """Commented-out statements (with their reason) for steps that are held back."""
    return held.held_statements(plan, "mysql", lambda step: pin_sql_mode(alter_table_sql(
        plan.table, step.ops, target, plan, online)[0]))
