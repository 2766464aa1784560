"""``indexdrift export URL --objects columns``: a live schema's columns as the CSV the
column readers take (information_schema.COLUMNS for MySQL/MariaDB, the PostgreSQL column
CSV, the SQLite column CSV of a SQLite file), written by the database's own
``columns_export`` (core/registry.py)."""

from __future__ import annotations

from indexdrift.core import registry as dialects
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.inputfile import check_input_spec
from indexdrift.sources.urls import env_url, is_url


def export_columns_csv(source: str, env: str) -> tuple[str, int, int]:
    """The columns of a live schema as CSV text, with the number of columns and tables:
    information_schema.COLUMNS of MySQL/MariaDB (NULL as ``NULL``, as a plain query
    exports it), the PostgreSQL column CSV of a PostgreSQL URL."""
    if not is_url(source):
        check_input_spec(source)
        kind = dialects.sniff_file(source)
        if kind.columns_export is None:
            raise IndexDriftError(f"env {env}: {source} is a file; export columns from a "
                                  "live MySQL/MariaDB URL (or PostgreSQL URL, or SQLite "
                                  "file)")
        return dialects.load(kind.columns_export)(source, env)
    url = env_url(source, env)
    export = dialects.by_name(url.kind).module("columns_export")
    if export is None:
        raise IndexDriftError(f"env {env}: column export writes information_schema.COLUMNS "
                              f"of MySQL/MariaDB (or PostgreSQL's column CSV); {url.kind} is "
                              "not supported")
    return export(url, env)
