"""``indexdrift snapshot SOURCE -o prd.json[.gz]``: save one environment, whole."""

from __future__ import annotations

import click

from indexdrift.cli.columns import refuse_stray_columns_from, requested_columns, requested_reads
from indexdrift.cli.language import warn
from indexdrift.cli.options import objects_option, timeout_options
from indexdrift.core.errors import IndexDriftError


@click.command("snapshot")
@click.argument("source", metavar="ENV|[NAME=]SOURCE")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Snapshot file to write: FILE.json or FILE.json.gz.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="indexdrift.toml to take ENV from (default: ./indexdrift.toml).")
@objects_option
@timeout_options
def snapshot_cmd(source: str, output: str, config_path: str | None) -> None:
    """Save a full snapshot (indexes, foreign keys, sizes, server flavor/version, time).

    With --objects, also what it names (columns, the full foreign keys, checks, table
    options), so that comparing the snapshot later can compare them too. Every command
    accepts the file as a source, so prod can be read once and compared anywhere.

    \b
    Example:
      indexdrift snapshot prd=mysql://ro@db1/shop -o prd.json
    """
    # lazy: --help and the other commands do not pay for the readers (start-up time)
    from indexdrift.cli.runs import config_for
    from indexdrift.sources import open_source
    from indexdrift.sources.envspec import parse_env
    from indexdrift.sources.snapshot import is_snapshot_path, save_snapshot

    if not is_snapshot_path(output):
        raise click.BadParameter("the name must end in .json or .json.gz", param_hint="-o")
    config = config_for(config_path)
    if config is not None and source in config.envs:
        env = config.envs[source]
        if env.is_fleet or env.source is None:
            raise IndexDriftError(f"env {source} is a fleet; snapshot one of its targets "
                                  "by URL")
        name, spec = source, env.source
    else:
        parsed = parse_env(source)
        name, spec = parsed.name, parsed.source
    refuse_stray_columns_from()
    columns = requested_columns()
    given = set(click.get_current_context().meta.get("indexdrift.columns_from", {}))
    if given - {name}:
        raise IndexDriftError("--columns-from " + ", ".join(sorted(given - {name}))
                              + f": no such environment (the snapshot is of {name})")
    snapshot = open_source(spec, name, detail=True, columns=columns is not None,
                           columns_file=(columns or {}).get(name), objects=requested_reads())
    for warning in snapshot.warnings:
        warn(warning, env=name)
    save_snapshot(snapshot, output)
    click.echo(f"wrote {snapshot.index_count()} indexes of {len(snapshot.tables)} tables "
               f"to {output}", err=True)
