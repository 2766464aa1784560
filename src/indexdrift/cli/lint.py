"""``indexdrift lint SOURCE``: duplicate and redundant indexes of one environment, and
(``--objects foreign_keys``) its foreign keys without an index serving them."""

from __future__ import annotations

import json
import sys

import click

from indexdrift.cli.options import parse_objects, timeout_options
from indexdrift.cli.textformat import format_option
from indexdrift.core import registry as dialects
from indexdrift.core.i18n import Catalog, available_languages, default_language
from indexdrift.model.kinds import FOREIGN_KEYS


def _reads_columns(source: str, env: str) -> bool:
    """True for a URL of a database whose AUTO_INCREMENT column is the rowid (SQLite): its
    columns tell a key on the rowid (served without an index) from one that is not."""
    from indexdrift.sources.urls import env_url, is_url

    return is_url(source) and dialects.by_name(env_url(source, env).kind).auto_increment_is_rowid


@click.command("lint")
@click.argument("source", metavar="[NAME=]SOURCE")
@format_option
@timeout_options
@click.option("--objects", "objects_text", default="indexes", show_default=True,
              metavar="KINDS",
              help="What to lint besides indexes, as compare takes it: foreign_keys (or "
                   "all) also lists foreign keys without an index serving them.")
@click.option("--lang", type=click.Choice(available_languages()), default=None,
              help="Report language (default: from LANG).")
def lint_cmd(source: str, fmt: str, objects_text: str, lang: str | None) -> None:
    """List duplicate and redundant indexes, each with the index that covers it, and
    (--objects foreign_keys) foreign keys without an index, each with the CREATE INDEX
    that would serve it.

    Exit code 1 when there is something to drop or to add, 0 when there is nothing.

    \b
    Example:
      indexdrift lint dev=mysql://ro@db2/shop --objects foreign_keys
    """
    # lazy: --help and the other commands do not pay for the readers (start-up time)
    from indexdrift.report.fk_lint import ForeignKeyAdvisory, lint_foreign_keys
    from indexdrift.report.lint import advisory_json, advisory_text, lint_snapshot
    from indexdrift.sources import open_source
    from indexdrift.sources.envspec import parse_envs

    catalog = Catalog(lang or default_language())
    spec = parse_envs([source])[0]
    fks = FOREIGN_KEYS in parse_objects(objects_text)
    reads = frozenset({"foreign_keys"}) if fks else frozenset()
    snapshot = open_source(spec.source, spec.name, detail=True, objects=reads,
                           columns=fks and _reads_columns(spec.source, spec.name))
    advisories = lint_snapshot(snapshot, foreign_keys=fks)
    not_judged = lint_foreign_keys(snapshot).not_judged if fks else 0
    if fmt == "json":
        doc = {"env": spec.name, "source": snapshot.source, "schema": snapshot.schema,
               "advisories": [advisory_json(a) for a in advisories]}
        if fks:
            doc["foreign_keys_not_judged"] = not_judged
        click.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        sys.exit(1 if advisories else 0)
    for advisory in advisories:
        click.echo(advisory_text(advisory, catalog))
    to_add = sum(isinstance(a, ForeignKeyAdvisory) for a in advisories)
    if not advisories:
        click.echo(catalog.t("lint.none_fk" if fks else "lint.none", env=spec.name))
    if len(advisories) > to_add:
        click.echo(catalog.t("lint.summary", env=spec.name, count=len(advisories) - to_add))
    if to_add:
        click.echo(catalog.t("lint.summary_fk", env=spec.name, count=to_add))
    if not_judged:
        click.echo(catalog.t("lint.fk_not_judged", env=spec.name, count=not_judged))
    sys.exit(1 if advisories else 0)
