"""Export directories: one environment as one file per object kind
(``indexdrift export SOURCE --objects all -o DIR``), read back as one source (``dev=DIR``).

``indexes.csv`` is always there: the index export ``export`` writes on its own (the
STATISTICS shape of MySQL/MariaDB, the catalog CSV of PostgreSQL/SQLite), which also
lists every table. Beside it, each kind the export was asked for: ``columns.csv`` (the
column export of ``--objects columns``), ``foreign_keys.csv``, ``checks.csv`` and
``tables.csv`` (sources/objects_csv.py). One encoding per kind: a file of the directory
is exactly the file the kind has anywhere else. The snapshot read from a directory holds
what its files hold (``Snapshot.objects``), so a kind the export did not write is never
drift. docs/sources.md describes the files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from indexdrift.core import registry as dialects
from indexdrift.core.errors import IndexDriftError, InputError, NoTablesInput
from indexdrift.core.i18n import Message
from indexdrift.core.inputfile import check_input_spec
from indexdrift.model.tables import Snapshot
from indexdrift.sources.checks import check_columns
from indexdrift.sources.column_files import read_columns_file
from indexdrift.sources.objects_csv import (
    checks_csv,
    foreign_keys_csv,
    read_checks,
    read_foreign_keys,
    read_tables,
    tables_csv,
)
from indexdrift.sources.sniff import INDEX_FILE, is_export_dir  # noqa: F401 (re-exported)

# Each kind's file, in the order they are read (indexes first: they list the tables).
KIND_FILES = {"indexes": INDEX_FILE, "columns": "columns.csv",
              "foreign_keys": "foreign_keys.csv", "checks": "checks.csv",
              "tables": "tables.csv"}
# The index file's formats (a directory never holds a snapshot or a SQLite file).
_INDEX_FORMATS = ("catalog-csv", "statistics-csv")
_WRITERS: dict[str, Callable[[Snapshot], str]] = {
    "foreign_keys": foreign_keys_csv, "checks": checks_csv, "tables": tables_csv}
_READERS = {"foreign_keys": read_foreign_keys, "checks": read_checks,
            "tables": read_tables}


def read_export_dir(spec: str, *, objects: frozenset[str] = frozenset()) -> Snapshot:
    """The env an export directory holds: its indexes, and every other kind whose file is
    there (whatever ``objects`` asks: what is read is what ``Snapshot.objects`` says)."""
    root = Path(spec)
    index_file = str(root / INDEX_FILE)
    check_input_spec(index_file)
    kind = dialects.sniff_file(index_file)
    if kind.name not in _INDEX_FORMATS:  # pragma: no cover - the fallback reads any CSV
        raise InputError(index_file, Message("error.not_index_export"))
    try:
        snapshot = dialects.load(kind.reader)(index_file)
    except NoTablesInput as exc:
        # An empty schema: its object files are read too (a run comparing tables takes it).
        exc.snapshot = _with_objects(exc.snapshot or Snapshot(source=index_file, schema=None),
                                     root)
        raise
    return _with_objects(snapshot, root)


def _with_objects(snapshot: Snapshot, root: Path) -> Snapshot:
    """``snapshot`` with the kinds of every object file of ``root`` merged in."""
    snapshot.source = str(root)
    for kind, read in _READERS.items():
        path = root / KIND_FILES[kind]
        if path.exists():
            check_input_spec(str(path))  # a FIFO would block the reader
            read(path, snapshot)
    columns = root / KIND_FILES["columns"]
    if columns.exists():
        check_input_spec(str(columns))
        env = root.name or str(root)
        tables = check_columns(read_columns_file(str(columns), env, snapshot.flavor), env,
                               str(columns))
        snapshot.set_columns(tables)
        snapshot.objects = snapshot.objects | {"columns"}
        if "checks" in snapshot.objects:
            _column_checks(snapshot)
    return snapshot


def _column_checks(snapshot: Snapshot) -> None:
    """Give each column its own CHECK (MariaDB's column-level checks, ``Column.check``),
    as the live read does, so that a migration re-writing the column keeps it (a JSON
    column's ``json_valid``); a column file alone does not know them."""
    for table in snapshot.tables.values():
        own = {c.column.lower(): c.expression for c in (table.checks or {}).values()
               if c.column is not None}
        if not own or not table.columns:
            continue
        table.columns = {key: replace(col, check=own.get(col.name.lower(), col.check))
                         for key, col in table.columns.items()}


def export_files(snapshot: Snapshot, kinds: set[str], columns_text: str | None,
                 index_text: str) -> dict[str, str]:
    """{file name: text} of an export directory holding ``kinds`` (indexes always)."""
    files = {INDEX_FILE: index_text}
    if "columns" in kinds:
        if columns_text is None:
            raise IndexDriftError("columns: no column export")  # pragma: no cover
        files[KIND_FILES["columns"]] = columns_text
    for kind, write in _WRITERS.items():
        if kind in kinds:
            files[KIND_FILES[kind]] = write(snapshot)
    return files


def stale_files(directory: Path, written: set[str]) -> list[str]:
    """Kind files of an earlier export in ``directory`` that this one does not write: left
    there, they would be read back as this env's."""
    return [name for name in KIND_FILES.values()
            if name not in written and (directory / name).exists()]
