"""``--objects columns``: read each live env's columns and add column findings."""

from __future__ import annotations

from indexdrift.errors import IndexDriftError

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
    from indexdrift.sources.urls import env_url, is_url

    if not is_url(source):
        # A file of indexes says nothing about columns: the team's COLUMNS export is a
        # second file, named with --columns-from or `columns =` in indexdrift.toml.
        raise IndexDriftError(f"env {env}: {source} is a file of indexes only; give its "
                              f"information_schema.COLUMNS export with --columns-from "
                              f"{env}=FILE (or columns = \"FILE\" in indexdrift.toml)")
    url = env_url(source, env)
    if url.kind == "mysql":
        from indexdrift.columns.mysql import read_mysql_columns
        return read_mysql_columns(url, env)[1]
    if url.kind == "postgresql":
        from indexdrift.columns.postgres import read_postgres_columns
        return read_postgres_columns(url, env)
    # Anything else (SQLite) is not read yet: say so rather than report no drift.
    raise IndexDriftError(f"env {env}: column drift is not supported for {url.kind} sources")


def read_columns_file(path: str, env: str, flavor: str | None = None) -> dict:
    """{table: {column key: Column}} of an env from its information_schema.COLUMNS export
    or its PostgreSQL column CSV (told apart by the header). ``flavor``: the env's index
    source's, when known; a file of the other database family is refused."""
    from indexdrift.columns.csvfile import read_columns_csv
    from indexdrift.columns.pgcsv import is_pg_columns_csv, read_pg_columns_csv
    from indexdrift.inputfile import check_input_spec

    check_input_spec(path)  # a FIFO or device would block the readers
    read = read_pg_columns_csv(path) if is_pg_columns_csv(path) else read_columns_csv(path)
    if flavor is not None and (flavor == "postgresql") != (read.flavor == "postgresql"):
        # MySQL and PostgreSQL columns never compare equal: every column would be drift.
        raise IndexDriftError(f"env {env}: {path} holds {read.flavor} columns but the env's "
                              f"indexes are {flavor}")
    return read.tables


def add_column_findings(comparison, env_args: tuple[str, ...],
                        column_files: dict[str, str] | None = None) -> None:
    """Read columns of every env (live, or from the COLUMNS file given for it in
    ``column_files``) and add their findings."""
    from indexdrift.compare import column_findings, sort_findings
    from indexdrift.envspec import parse_envs

    specs = {s.name: s for s in parse_envs(env_args)}
    files = column_files or {}
    unknown = [n for n in files if n not in comparison.snapshots]
    if unknown:
        raise IndexDriftError("--columns-from " + ", ".join(unknown) + ": no such environment "
                              "(have: " + ", ".join(comparison.snapshots) + ")")
    missing = [n for n in comparison.snapshots if n not in specs and n not in files]
    if missing:
        raise IndexDriftError("--objects columns needs every env as a live URL or with a "
                              "COLUMNS file (--columns-from ENV=FILE); not given: "
                              + ", ".join(missing))
    from indexdrift.sources.checks import check_columns

    for name, snap in comparison.snapshots.items():
        if name in files:
            columns, shown = read_columns_file(files[name], name, snap.flavor), files[name]
        else:  # the snapshot's source: the URL without its password
            columns, shown = read_columns(specs[name].source, name), snap.source
        check_columns(columns, name, shown)
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
            if mine is not None:
                comparison.findings.extend(column_findings(env, other.schema, table, mine))
    sort_findings(comparison)


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
    ENV=FILE``; read by add_requested_objects."""
    import click

    func = click.option("--columns-from", multiple=True, expose_value=False,
                        callback=_store_columns_from, metavar="ENV=FILE",
                        help="With --objects columns: read ENV's columns from FILE, an "
                             "information_schema.COLUMNS export or a PostgreSQL column CSV "
                             "(indexdrift export URL --objects columns); repeatable.")(func)
    return click.option("--objects", default="indexes", show_default=True, expose_value=False,
                        callback=_store_objects, metavar="indexes[,columns]",
                        help="What to compare: indexes, columns (live sources, or files "
                             "with --columns-from), or both.")(func)


def _column_files(ctx) -> dict[str, str]:
    """COLUMNS files per env: ``columns =`` of indexdrift.toml envs, then --columns-from."""
    from indexdrift.runs import config_for

    files: dict[str, str] = {}
    config = config_for(ctx.params.get("config_path"))
    if config is not None:
        files.update({name: env.columns for name, env in config.envs.items()
                      if env.columns is not None})
    files.update(ctx.meta.get("indexdrift.columns_from", {}))
    return files


def add_requested_objects(comparison, env_args: tuple[str, ...]) -> None:
    """Add column findings when ``--objects`` asked for columns; drop index findings when
    it did not ask for indexes."""
    import click

    ctx = click.get_current_context()
    chosen = ctx.meta.get("indexdrift.objects", {"indexes"})
    if "indexes" not in chosen:
        comparison.findings[:] = [f for f in comparison.findings if f.column is not None]
    if "columns" in chosen:
        add_column_findings(comparison, env_args, _column_files(ctx))
    elif ctx.meta.get("indexdrift.columns_from"):
        raise IndexDriftError("--columns-from needs --objects columns (or indexes,columns)")
