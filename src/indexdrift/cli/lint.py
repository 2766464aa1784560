"""``indexdrift lint SOURCE``: duplicate and redundant indexes of one environment."""

from __future__ import annotations

import json
import sys

import click

from indexdrift.core.i18n import Catalog, available_languages, default_language
from indexdrift.report.lint import advisory_json, advisory_text, lint_snapshot
from indexdrift.sources import open_source
from indexdrift.sources.envspec import parse_envs


@click.command("lint")
@click.argument("source", metavar="[NAME=]SOURCE")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--lang", type=click.Choice(available_languages()), default=None,
              help="Report language (default: from LANG).")
def lint_cmd(source: str, fmt: str, lang: str | None) -> None:
    """List duplicate and redundant indexes, each with the index that covers it.

    Exit code 1 when there is something to drop, 0 when there is nothing.
    """
    catalog = Catalog(lang or default_language())
    spec = parse_envs([source])[0]
    snapshot = open_source(spec.source, spec.name, detail=True)
    advisories = lint_snapshot(snapshot)
    if fmt == "json":
        click.echo(json.dumps({"env": spec.name, "source": snapshot.source,
                               "schema": snapshot.schema,
                               "advisories": [advisory_json(a) for a in advisories]},
                              ensure_ascii=False, indent=2))
    elif not advisories:
        click.echo(catalog.t("lint.none", env=spec.name))
    else:
        for advisory in advisories:
            click.echo(advisory_text(advisory, catalog))
        click.echo(catalog.t("lint.summary", env=spec.name, count=len(advisories)))
    sys.exit(1 if advisories else 0)
