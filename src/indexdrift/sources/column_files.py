"""An env's columns from a file: its information_schema.COLUMNS export or its PostgreSQL
column CSV (``--columns-from ENV=FILE``, ``columns =`` in indexdrift.toml), merged into the
env's snapshot when it is read (sources.open_source)."""

from __future__ import annotations

from indexdrift.core.errors import IndexDriftError
from indexdrift.core.inputfile import check_input_spec
from indexdrift.dialects.mysql.columns_csv import read_columns_csv
from indexdrift.dialects.postgresql.columns_csv import is_pg_columns_csv, read_pg_columns_csv
from indexdrift.model.tables import Column


def read_columns_file(path: str, env: str, flavor: str | None = None
                      ) -> dict[str, dict[str, Column]]:
    """{table: {column key: Column}} of an env from its information_schema.COLUMNS export
    or its PostgreSQL column CSV (told apart by the header). ``flavor``: the env's index
    source's, when known; a file of the other database family is refused."""
    check_input_spec(path)  # a FIFO or device would block the readers
    read = read_pg_columns_csv(path) if is_pg_columns_csv(path) else read_columns_csv(path)
    if flavor is not None and (flavor == "postgresql") != (read.flavor == "postgresql"):
        # MySQL and PostgreSQL columns never compare equal: every column would be drift.
        raise IndexDriftError(f"env {env}: {path} holds {read.flavor} columns but the env's "
                              f"indexes are {flavor}")
    return read.tables
