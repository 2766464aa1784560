"""An env's columns from a file: its information_schema.COLUMNS export or its PostgreSQL
column CSV (``--columns-from ENV=FILE``, ``columns =`` in indexdrift.toml), merged into the
env's snapshot when it is read (sources.open_source).

The readers live in their database's package and are found through the registry
(``core.registry.COLUMN_FILE_FORMATS``); what they share is here: the ``ColumnsFile`` they
return and ``check_sql``, the check of every column's SQL texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexdrift.core import registry as dialects
from indexdrift.core.errors import IndexDriftError, InputError
from indexdrift.core.i18n import Message
from indexdrift.core.inputfile import check_input_spec
from indexdrift.core.limits import excerpt
from indexdrift.model.tables import Column
from indexdrift.sources.sqlcells import expression_problem, name_problem, type_problem


@dataclass(slots=True)
class ColumnsFile:
    """The columns of one schema read from a file, and the server flavor that wrote it."""

    source: str
    schema: str | None
    flavor: str  # "mysql" or "mariadb"; "postgresql" for a PostgreSQL column CSV
    tables: dict[str, dict[str, Column]] = field(default_factory=dict)


def check_sql(column: Column, shown: str, line: int, dialect: str, *,
              collation_cell: str = "COLLATION_NAME") -> None:
    """Refuse a column whose SQL texts (type, default, generation expression, ON UPDATE,
    character set, collation) could not be written into DDL as they are: each must be
    one expression, one type, one name (see sources/sqlcells.py). ``dialect``: the
    sqlcells tokenizer; ``collation_cell``: the file's header for the collation."""
    checks = (("COLUMN_TYPE", column.column_type, type_problem),
              ("COLUMN_DEFAULT", column.default, expression_problem),
              ("GENERATION_EXPRESSION", column.expression, expression_problem),
              ("EXTRA", column.on_update, expression_problem))
    for cell, text, check in checks:
        if text is not None:
            problem = check(text, dialect)
            if problem is not None:
                raise InputError(shown, f"{excerpt(text)} {problem}", line, cell)
    for cell, text in (("CHARACTER_SET_NAME", column.charset),
                       (collation_cell, column.collation)):
        if text is not None and name_problem(text) is not None:
            raise InputError(shown, f"{excerpt(text)} {name_problem(text)}", line, cell)


def read_columns_file(path: str, env: str, flavor: str | None = None
                      ) -> dict[str, dict[str, Column]]:
    """{table: {column key: Column}} of an env from its information_schema.COLUMNS export
    or its PostgreSQL column CSV (told apart by the header). ``flavor``: the env's index
    source's, when known; a file of the other database family is refused."""
    check_input_spec(path)  # a FIFO or device would block the readers
    read = dialects.load(dialects.sniff_file(path, dialects.COLUMN_FILE_FORMATS).reader)(path)
    family = dialects.of_flavor(flavor)
    if family is not None and family is not dialects.of_flavor(read.flavor):
        # MySQL and PostgreSQL columns never compare equal: every column would be drift.
        raise IndexDriftError(Message("error.columns_flavor", env=env, path=path,
                                      columns=read.flavor, indexes=flavor))
    return read.tables
