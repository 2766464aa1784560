"""``--objects`` and ``--columns-from``: which objects a run compares, and the COLUMNS file
of each env that is not read live (the readers read the columns with the indexes)."""

from __future__ import annotations

import click

from indexdrift.cli.runs import config_for
from indexdrift.compare.tables import Comparison
from indexdrift.core.errors import IndexDriftError
from indexdrift.model.kinds import CHECKS, FOREIGN_KEYS, OBJECTS, TABLE_EXTRA, TABLE_MISSING, TABLES

# What a source reads besides indexes and columns for each --objects word
# (Snapshot.objects): "tables" compares table existence and the table options, and reads
# a table's whole definition (its foreign keys and checks too: a table migrate creates
# is the baseline's, and one it drops can be re-created by the rollback). Findings are
# still reported only for the kinds asked for (add_requested_objects).
_READS = {FOREIGN_KEYS: ("foreign_keys",), CHECKS: ("checks",),
          TABLES: ("options", "foreign_keys", "checks")}


def parse_objects(text: str) -> set[str]:
    """``indexes,columns`` → {"indexes", "columns"}; ``all`` is every object kind;
    unknown names are an error."""
    chosen = {part.strip().lower() for part in text.split(",") if part.strip()}
    if "all" in chosen:
        chosen = (chosen - {"all"}) | set(OBJECTS)
    unknown = chosen - set(OBJECTS)
    if unknown or not chosen:
        raise IndexDriftError(f"--objects {text}: use a comma-separated list of "
                              + ", ".join(OBJECTS) + ", or all")
    return chosen


def requested_reads() -> frozenset[str]:
    """What the sources read besides indexes and columns for ``--objects`` (foreign keys,
    checks, table options)."""
    chosen = click.get_current_context().meta.get("indexdrift.objects", {"indexes"})
    return frozenset(read for word, reads in _READS.items() if word in chosen
                     for read in reads)


def tables_compared() -> bool:
    """True when ``--objects`` compares tables (``tables`` or ``all``): migrate then creates
    and drops whole tables, and an env without tables is a real case, not an error."""
    return TABLES in click.get_current_context().meta.get("indexdrift.objects", {"indexes"})


def _store_objects(ctx, _param, value: str) -> str:
    ctx.meta["indexdrift.objects"] = parse_objects(value)
    return value


def parse_columns_from(values: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``ENV=FILE`` arguments → {env: file}; each env at most once."""
    files: dict[str, str] = {}
    for value in values:
        env, sep, path = value.partition("=")
        if not sep or not env.strip() or not path.strip():
            raise IndexDriftError(f"--columns-from {value}: write ENV=FILE "
                                  "(e.g. prd=columns_prd.csv)")
        if env.strip() in files:
            raise IndexDriftError(f"--columns-from: env {env.strip()} is given twice")
        files[env.strip()] = path.strip()
    return files


def _store_columns_from(ctx, _param, value: tuple[str, ...]) -> tuple[str, ...]:
    ctx.meta["indexdrift.columns_from"] = parse_columns_from(value)
    return value


def objects_option(func):
    """``--objects indexes[,columns]`` (columns off by default) and ``--columns-from
    ENV=FILE``; read by requested_columns and add_requested_objects."""
    func = click.option("--columns-from", multiple=True, expose_value=False,
                        callback=_store_columns_from, metavar="ENV=FILE",
                        help="With --objects columns: read ENV's columns from FILE, an "
                             "information_schema.COLUMNS export or a PostgreSQL column CSV "
                             "(indexdrift export URL --objects columns); repeatable.")(func)
    return click.option("--objects", default="indexes", show_default=True, expose_value=False,
                        callback=_store_objects, metavar="KINDS",
                        help="What to compare, comma-separated: indexes, columns (live "
                             "sources, or files with --columns-from), foreign_keys, "
                             "checks, tables (existence and table options), or all.")(func)


def _column_files(ctx) -> dict[str, str]:
    """COLUMNS files per env: ``columns =`` of indexdrift.toml envs, then --columns-from."""
    files: dict[str, str] = {}
    config = config_for(ctx.params.get("config_path"))
    if config is not None:
        files.update({name: env.columns for name, env in config.envs.items()
                      if env.columns is not None})
    files.update(ctx.meta.get("indexdrift.columns_from", {}))
    return files


def requested_columns() -> dict[str, str] | None:
    """When ``--objects`` asks for columns: the COLUMNS file of each env that has one (the
    others are read live, with their indexes); else None."""
    ctx = click.get_current_context()
    if "columns" not in ctx.meta.get("indexdrift.objects", {"indexes"}):
        return None
    return _column_files(ctx)


def add_requested_objects(comparison: Comparison) -> None:
    """Keep the findings of the object kinds ``--objects`` asked for (a missing or extra
    table is always reported); refuse --columns-from without --objects columns. (The
    columns were read with each env, their files checked against the run's envs first:
    runs.read_selection.)"""
    ctx = click.get_current_context()
    chosen = ctx.meta.get("indexdrift.objects", {"indexes"})
    comparison.objects = frozenset(chosen)
    if not set(OBJECTS) <= chosen:
        # A table's options only when asked (snapshot files may hold them on both sides).
        comparison.findings[:] = [f for f in comparison.findings if f.object_kind in chosen
                                  or f.kind in (TABLE_MISSING, TABLE_EXTRA)]
    refuse_stray_columns_from()


def refuse_stray_columns_from() -> None:
    """--columns-from without --objects columns is an error (it would be ignored)."""
    ctx = click.get_current_context()
    chosen = ctx.meta.get("indexdrift.objects", {"indexes"})
    if "columns" not in chosen and ctx.meta.get("indexdrift.columns_from"):
        raise IndexDriftError("--columns-from needs --objects columns (or indexes,columns)")
