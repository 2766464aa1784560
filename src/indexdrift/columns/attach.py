"""``--objects columns``: read each live env's columns and add column findings."""

from __future__ import annotations

from indexdrift.columns.compare import compare_columns
from indexdrift.errors import IndexDriftError, SourceError

OBJECTS = ("indexes", "columns")


def parse_objects(text: str) -> set[str]:
    """``indexes,columns`` → {"indexes", "columns"}; unknown names are an error."""
    chosen = {part.strip().lower() for part in text.split(",") if part.strip()}
    unknown = chosen - set(OBJECTS)
    if unknown or not chosen:
        raise IndexDriftError(f"--objects {text}: use a comma-separated list of "
                              + ", ".join(OBJECTS))
    return chosen


def read_columns(source: str, env: str) -> dict:
    """{table: {column key: Column}} of one live env."""
    from indexdrift.sources.urls import is_url, parse_url

    if not is_url(source):
        raise IndexDriftError(f"env {env}: column drift needs a live database URL "
                              f"({source} is a file of indexes only)")
    try:
        url = parse_url(source)
    except ValueError as exc:
        raise SourceError(env, str(exc)) from None
    if url.kind == "mysql":
        from indexdrift.columns.mysql import read_mysql_columns
        return read_mysql_columns(url, env)[1]
    if url.kind == "postgresql":
        from indexdrift.columns.postgres import read_postgres_columns
        return read_postgres_columns(url, env)
    # Anything else (SQLite) is not read yet: say so rather than report no drift.
    raise IndexDriftError(f"env {env}: column drift is not supported for {url.kind} sources")


def add_column_findings(comparison, env_args: tuple[str, ...]) -> None:
    """Read columns of every env named on the command line and add their findings."""
    from indexdrift.compare import Finding, sort_findings
    from indexdrift.envspec import parse_envs

    specs = {s.name: s for s in parse_envs(env_args)}
    missing = [n for n in comparison.snapshots if n not in specs]
    if missing:
        raise IndexDriftError("--objects columns needs every env as a live URL argument; "
                              "not given: " + ", ".join(missing))
    for name, snap in comparison.snapshots.items():
        columns = read_columns(specs[name].source, name)
        for table_name, cols in columns.items():
            table = snap.tables.get(table_name)
            if table is not None:
                table.columns = cols
    base = comparison.snapshots[comparison.baseline]
    for env in comparison.envs:
        other = comparison.snapshots[env]
        by_fold = {t.lower(): t for t in other.tables}
        for table_name, table in base.tables.items():
            mine = other.tables.get(table_name) or other.tables.get(
                by_fold.get(table_name.lower(), ""))
            if mine is None or table.columns is None or mine.columns is None:
                continue
            for diff in compare_columns(table.columns, mine.columns):
                comparison.findings.append(Finding(
                    env, other.schema, table.name, diff.kind, changes=list(diff.changes),
                    baseline_table=table, env_table=mine, column=diff.column,
                    column_diff=diff))
    sort_findings(comparison)


def _store_objects(ctx, _param, value: str) -> str:
    ctx.meta["indexdrift.objects"] = parse_objects(value)
    return value


def objects_option(func):
    """``--objects indexes[,columns]`` (columns off by default); read by add_requested_objects."""
    import click

    return click.option("--objects", default="indexes", show_default=True, expose_value=False,
                        callback=_store_objects, metavar="indexes[,columns]",
                        help="What to compare: indexes, columns (live sources only), or both."
                        )(func)


def add_requested_objects(comparison, env_args: tuple[str, ...]) -> None:
    """Add column findings when ``--objects`` asked for columns; drop index findings when
    it did not ask for indexes."""
    import click

    chosen = click.get_current_context().meta.get("indexdrift.objects", {"indexes"})
    if "indexes" not in chosen:
        comparison.findings[:] = [f for f in comparison.findings if f.column is not None]
    if "columns" in chosen:
        add_column_findings(comparison, env_args)
