"""A column definition as the catalogs describe it, already normalised for comparison."""

from __future__ import annotations

import re
from dataclasses import dataclass

_INT_WIDTH = re.compile(r"^(tinyint|smallint|mediumint|int|bigint)\((\d+)\)(.*)$")


def type_without_width(column_type: str) -> str:
    """``int(11) unsigned`` → ``int unsigned``: integer display widths carry no meaning and
    MySQL 8.0.19+ no longer reports them (``tinyint(1)`` excepted, which stays)."""
    found = _INT_WIDTH.match(column_type)
    if found is None or (found.group(1) == "tinyint" and found.group(2) == "1"):
        return column_type
    return found.group(1) + found.group(3)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of one table in one environment.

    ``default`` is SQL text (``'abc'``, ``0``, ``CURRENT_TIMESTAMP``, ``NULL``) or None when
    the column has no default; a nullable column without one has ``NULL`` (that is what
    the server applies). ``generated`` is ``VIRTUAL`` or ``STORED`` with ``expression``.

    PostgreSQL columns have ``dialect="postgresql"``: names compare case-sensitively, the
    type is ``format_type`` text (not lower-cased), ``identity`` is ``ALWAYS`` or
    ``BY DEFAULT`` and ``auto_increment`` means serial (a ``nextval`` default on a sequence
    the column owns). ``identity_options`` are an identity sequence's declared options
    without the defaults (``INCREMENT BY 5 CACHE 20``; "" when all are defaults; None when
    not an identity column or not known, e.g. read from a column CSV older than them).
    """

    name: str
    position: int
    column_type: str  # lower case, e.g. "varchar(20)", "int unsigned", "enum('a','b')"
    nullable: bool
    default: str | None = None
    comment: str = ""
    charset: str | None = None
    collation: str | None = None
    auto_increment: bool = False
    on_update: str | None = None
    generated: str | None = None
    expression: str | None = None
    identity: str | None = None
    dialect: str = "mysql"
    identity_options: str | None = None

    @property
    def name_key(self) -> str:
        """Column names compare case-insensitively on MySQL/MariaDB, exactly on PostgreSQL
        (``"Name"`` and ``name`` are two columns there)."""
        return self.name if self.dialect == "postgresql" else self.name.lower()

    def type_key(self, other: Column | None = None) -> str:
        """The type as compared: without an integer display width when either side lacks it."""
        if other is not None and (type_without_width(self.column_type) == self.column_type
                                  or type_without_width(other.column_type)
                                  == other.column_type):
            return type_without_width(self.column_type)
        return self.column_type

    def shape_key(self) -> tuple:
        """Everything but the name and position (a rename keeps this)."""
        return (type_without_width(self.column_type), self.nullable, self.default, self.comment,
                self.charset, self.collation, self.auto_increment, self.on_update,
                self.generated, self.expression, self.identity, self.identity_options)
