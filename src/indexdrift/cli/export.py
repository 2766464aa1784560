"""``indexdrift export``: one environment's indexes (or columns, or every object kind) as
CSV shaped like the catalog view. Imported only when the command runs or is listed
(cli/main.py's lazy command table: start-up time)."""

from __future__ import annotations

from pathlib import Path

import click

from indexdrift.cli.options import parse_objects, timeout_options
from indexdrift.core.errors import IndexDriftError


@click.command("export")
@click.argument("source", metavar="[NAME=]SOURCE")
@click.option("-o", "--output", type=click.Path(),
              help="CSV file to write (default: standard output); the directory to write "
                   "when --objects names more than one kind.")
@click.option("--objects", "objects", default="indexes", show_default=True, metavar="KINDS",
              help="indexes: an information_schema.STATISTICS-shaped CSV (the catalog CSV "
                   "of PostgreSQL/SQLite); columns: an information_schema.COLUMNS-shaped "
                   "CSV (live MySQL/MariaDB URL) or the PostgreSQL column CSV (live "
                   "PostgreSQL URL); more kinds (comma-separated: indexes, columns, "
                   "foreign_keys, checks, tables, or all): a directory of one file per "
                   "kind (-o DIR), read back as the source DIR.")
@timeout_options
def export_cmd(source: str, output: str | None, objects: str) -> None:
    """Export one environment's indexes (or columns, or every object kind) as CSV shaped
    like the catalog view.

    The files read back to exactly what a live read gives, so a team without access to
    prod can hand over the files instead (columns: compare --columns-from ENV=FILE; a
    directory: compare ENV=DIR).

    \b
    Example:
      indexdrift export prd=mysql://ro@db1/shop -o indexes_prd.csv
    """
    # lazy: --help and the other commands do not pay for the readers (start-up time)
    from indexdrift.core.atomic import write_atomic
    from indexdrift.sources import open_source
    from indexdrift.sources.columns_export import export_columns_csv
    from indexdrift.sources.envspec import parse_envs
    from indexdrift.sources.export import export_csv

    spec = parse_envs([source])[0]
    chosen = parse_objects(objects)
    if chosen == {"columns"}:
        text, count, tables = export_columns_csv(spec.source, spec.name)
    elif chosen == {"indexes"}:
        snapshot = open_source(spec.source, spec.name)
        text, count, tables = export_csv(snapshot), snapshot.index_count(), len(snapshot.tables)
    else:
        _export_directory(spec, chosen, output)
        return
    if output:
        write_atomic(output, text)
        click.echo(f"wrote {count} {objects} of {tables} tables to {output}", err=True)
    else:
        click.echo(text, nl=False)


def _export_directory(spec, chosen: set[str], output: str | None) -> None:
    """``export --objects`` of more than one kind: one file per kind into ``output``, all
    or nothing (sources/export_dir.py). ``tables`` brings the foreign keys and checks,
    as a read for it does: a table migrate creates from the env is its whole definition."""
    from indexdrift.core.atomic import write_file_set
    from indexdrift.sources import open_source
    from indexdrift.sources.columns_export import export_columns_csv
    from indexdrift.sources.export import export_csv
    from indexdrift.sources.export_dir import export_files, stale_files
    from indexdrift.sources.urls import redact

    if output is None:
        raise IndexDriftError("export --objects " + ",".join(sorted(chosen)) + ": give the "
                              "directory to write with -o DIR (one file per kind)")
    kinds = chosen | {"indexes"}
    if "tables" in kinds:
        kinds |= {"foreign_keys", "checks"}
    reads = frozenset(read for word, read in (("foreign_keys", "foreign_keys"),
                                              ("checks", "checks"), ("tables", "options"))
                      if word in kinds)
    columns_text = (export_columns_csv(spec.source, spec.name)[0] if "columns" in kinds
                    else None)
    snapshot = open_source(spec.source, spec.name, objects=reads)
    unread = sorted(reads - snapshot.objects)
    if unread:
        # Written anyway, the file would say "none" of what the source never told.
        raise IndexDriftError(f"env {spec.name}: {redact(spec.source)} does not hold "
                              + ", ".join(unread) + "; export a live database, a snapshot "
                              "taken with --objects all or an export directory holding them")
    files = export_files(snapshot, kinds, columns_text, export_csv(snapshot))
    directory = Path(output)
    if directory.exists() and not directory.is_dir():
        raise IndexDriftError(f"export: {output} is a file; give a directory for more than "
                              "one kind")
    stale = stale_files(directory, set(files))
    if stale:
        raise IndexDriftError(f"export: {output} holds {', '.join(stale)} of an earlier "
                              "export, which this one does not write (read back, it would be "
                              "taken for this env's); remove it or export into a new "
                              "directory")
    write_file_set({directory / name: text for name, text in files.items()}, overwrite=True)
    click.echo(f"wrote {', '.join(sorted(kinds))} of {len(snapshot.tables)} tables to "
               f"{output}", err=True)
