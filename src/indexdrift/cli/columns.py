"""``--objects`` and ``--columns-from`` (the options are cli.options'): which objects a
run compares, and the COLUMNS file of each env that is not read live (the readers read the
columns with the indexes)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from indexdrift.core.errors import IndexDriftError
from indexdrift.model.kinds import CHECKS, FOREIGN_KEYS, OBJECTS, TABLE_EXTRA, TABLE_MISSING, TABLES

if TYPE_CHECKING:  # only named here: --help must not import the compare (start-up time)
    from indexdrift.compare.tables import Comparison

# What a source reads besides indexes and columns for each --objects word
# (Snapshot.objects): "tables" compares table existence and the table options, and reads
# a table's whole definition (its foreign keys and checks too: a table migrate creates
# is the baseline's, and one it drops can be re-created by the rollback). Findings are
# still reported only for the kinds asked for (add_requested_objects).
_READS = {FOREIGN_KEYS: ("foreign_keys",), CHECKS: ("checks",),
          TABLES: ("options", "foreign_keys", "checks")}


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


def _column_files(ctx) -> dict[str, str]:
    """COLUMNS files per env: ``columns =`` of indexdrift.toml envs, then --columns-from."""
    from indexdrift.cli.runs import config_for  # lazy: the readers (start-up time)

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
