"""MySQL / MariaDB clauses of foreign keys, CHECK constraints and table options (issue 20).

Each is one ALTER TABLE clause, rendered among the table's other clauses by ddl.py:

- ``DROP FOREIGN KEY `n``` and ``ADD CONSTRAINT `n` FOREIGN KEY (…) REFERENCES p (…)
  [ON DELETE …] [ON UPDATE …]``. ``NO ACTION`` is written as no clause: InnoDB reads
  RESTRICT, NO ACTION and none as one rule (the reader does too), and no clause is what
  SHOW CREATE TABLE shows for the server's default;
- ``ADD CONSTRAINT `n` CHECK (expr) [NOT ENFORCED]``; ``DROP CONSTRAINT `n``` on MariaDB,
  ``DROP CHECK `n``` on MySQL 8 (whose DROP CONSTRAINT needs 8.0.19);
- ``ENGINE=…``, ``DEFAULT CHARSET=… COLLATE=…`` (``COLLATE=…`` alone when only the
  collation changes: the character set follows it), ``ROW_FORMAT=…`` (``DEFAULT`` for the
  format a table without the option gets, which is what the reader shows for one), and
  ``COMMENT=…`` (``literals.quote_string``: a backslash or line break puts the statement
  under the sql_mode pin).

Names are quoted with ``quote_ident``; expressions are the server's own reprint of the
catalog text (the snapshot walk refused NUL in them); option values are plain words (the
planner holds any other value back).
"""

from __future__ import annotations

import re

from indexdrift.core.target import Target
from indexdrift.dialects.mysql.literals import quote_ident, quote_string
from indexdrift.model.tables import CheckConstraint, ForeignKey
from indexdrift.plan.ops import SetTableOptions

_WORD = re.compile(r"[A-Za-z0-9_]+")
# The row format an engine gives a table declared without one (what the reader reports
# for such a table: dialects/mysql/objects.row_format): InnoDB the server's
# innodb_default_row_format, DYNAMIC unless a DBA changed it.
_IMPLIED_ROW_FORMAT = {"innodb": "DYNAMIC", "aria": "PAGE"}


def _columns(names: tuple[str, ...]) -> str:
    return "(" + ", ".join(quote_ident(c) for c in names) + ")"


def foreign_key_sql(fk: ForeignKey) -> str:
    """``CONSTRAINT `n` FOREIGN KEY (`a`) REFERENCES `p` (`id`) ON DELETE CASCADE``."""
    parent = quote_ident(fk.ref_table or "")
    if fk.ref_schema:
        parent = f"{quote_ident(fk.ref_schema)}.{parent}"
    text = (f"CONSTRAINT {quote_ident(fk.name)} FOREIGN KEY {_columns(fk.columns)} "
            f"REFERENCES {parent} {_columns(fk.ref_columns)}")
    if fk.on_delete != "NO ACTION":
        text += f" ON DELETE {fk.on_delete}"
    if fk.on_update != "NO ACTION":
        text += f" ON UPDATE {fk.on_update}"
    return text


def add_foreign_key_clause(fk: ForeignKey) -> str:
    """``ADD CONSTRAINT `n` FOREIGN KEY …``."""
    return f"ADD {foreign_key_sql(fk)}"


def drop_foreign_key_clause(fk: ForeignKey) -> str:
    """``DROP FOREIGN KEY `n```."""
    return f"DROP FOREIGN KEY {quote_ident(fk.name)}"


def add_check_clause(check: CheckConstraint, target: Target) -> str:
    """``ADD CONSTRAINT `n` CHECK (expr)`` (``NOT ENFORCED`` where MySQL has it)."""
    text = f"ADD CONSTRAINT {quote_ident(check.name)} CHECK ({check.expression})"
    if not check.enforced and target.not_enforced_checks:
        text += " NOT ENFORCED"
    return text


def drop_check_clause(check: CheckConstraint, target: Target) -> str:
    """``DROP CONSTRAINT `n``` (MariaDB) or ``DROP CHECK `n``` (MySQL)."""
    word = "CONSTRAINT" if target.flavor == "mariadb" else "CHECK"
    return f"DROP {word} {quote_ident(check.name)}"


def _word(value: str) -> str:
    if not _WORD.fullmatch(value):
        raise ValueError(f"table option value {value!r} is not a word")
    return value


def row_format_sql(value: str, engine: str | None) -> str:
    """``ROW_FORMAT=X``; ``ROW_FORMAT=DEFAULT`` for the format the engine gives a table
    without the option (the reader cannot tell it from an explicit one, and no option is
    what such a table had)."""
    implied = _IMPLIED_ROW_FORMAT.get((engine or "").lower(), "DEFAULT")
    if value.upper() in ("DEFAULT", implied):
        return "ROW_FORMAT=DEFAULT"
    return f"ROW_FORMAT={_word(value)}"


def option_clauses(op: SetTableOptions, engine: str | None) -> list[str]:
    """The table-option clauses of ``op`` (``engine``: the table's engine when the
    operation does not change it)."""
    after = dict(op.after)
    engine = after.get("engine", engine)
    clauses: list[str] = []
    if "engine" in after:
        clauses.append(f"ENGINE={_word(after['engine'])}")
    if "charset" in after:
        text = f"DEFAULT CHARSET={_word(after['charset'])}"
        if "collation" in after:
            text += f" COLLATE={_word(after['collation'])}"
        clauses.append(text)
    elif "collation" in after:
        clauses.append(f"COLLATE={_word(after['collation'])}")
    if "row_format" in after:
        clauses.append(row_format_sql(after["row_format"], engine))
    if "comment" in after:
        clauses.append(f"COMMENT={quote_string(after['comment'])}")
    return clauses


def changes_engine(op: SetTableOptions) -> bool:
    """True when ``op`` changes the storage engine (the server then copies the table)."""
    return op.value("engine") is not None
