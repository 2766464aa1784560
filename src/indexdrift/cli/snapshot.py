"""``indexdrift snapshot SOURCE -o prd.json[.gz]``: save one environment, whole."""

from __future__ import annotations

import click

from indexdrift.cli.runs import config_for
from indexdrift.core.errors import IndexDriftError, one_line
from indexdrift.sources import open_source
from indexdrift.sources.envspec import parse_env
from indexdrift.sources.snapshot import is_snapshot_path, save_snapshot


@click.command("snapshot")
@click.argument("source", metavar="ENV|[NAME=]SOURCE")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Snapshot file to write: FILE.json or FILE.json.gz.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="indexdrift.toml to take ENV from (default: ./indexdrift.toml).")
def snapshot_cmd(source: str, output: str, config_path: str | None) -> None:
    """Save a full snapshot (indexes, foreign keys, sizes, server flavor/version, time).

    Every command accepts the file as a source, so prod can be read once and compared
    anywhere.
    """
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
    snapshot = open_source(spec, name, detail=True)
    for warning in snapshot.warnings:
        click.echo(one_line(f"warning: env {name}: {warning}"), err=True)
    save_snapshot(snapshot, output)
    click.echo(f"wrote {snapshot.index_count()} indexes of {len(snapshot.tables)} tables "
               f"to {output}", err=True)
