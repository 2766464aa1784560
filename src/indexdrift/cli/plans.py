"""``indexdrift plans ENV --queries FILE.sql``: which indexes each query's plan uses."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from indexdrift.cli.options import timeout_options
from indexdrift.cli.textformat import format_option
from indexdrift.core import registry as dialects
from indexdrift.core.errors import IndexDriftError, InputError
from indexdrift.core.i18n import Catalog, available_languages, default_language
from indexdrift.core.inputfile import read_input

if TYPE_CHECKING:  # sqlglot (through indexdrift.evidence.plans) is loaded only when plans runs
    from indexdrift.evidence.plans import PlansReport


def report_text(report: PlansReport, catalog: Catalog) -> str:
    """The plans report as lines of text in the catalog's language."""
    lines = [catalog.t("plans.heading", env=report.env)]
    for plan in report.plans:
        names = ", ".join(ix.label for ix in plan.indexes) or catalog.t("plans.no_index")
        lines.append(catalog.t("plans.query", number=plan.query.number, line=plan.query.line,
                               indexes=names))
    if not report.candidates:
        lines.append(catalog.t("plans.no_candidates"))
    elif report.unused:
        lines.append(catalog.t("plans.candidates",
                               names=", ".join(ix.label for ix in report.unused)))
    else:
        lines.append(catalog.t("plans.all_used"))
    used = [ix for ix in report.candidates if ix not in report.unused]
    if used and report.unused:
        lines.append(catalog.t("plans.candidates_used", names=", ".join(ix.label for ix in used)))
    return "\n".join(lines) + "\n"


def report_json(report: PlansReport) -> dict:
    """The plans report as JSON-ready data (the server's plans included)."""
    return {
        "env": report.env, "source": report.source,
        "queries": [{"number": p.query.number, "line": p.query.line, "sql": p.query.sql,
                     "indexes": [ix.label for ix in p.indexes], "plan": p.plan}
                    for p in report.plans],
        "candidates": [ix.label for ix in report.candidates],
        "unused_candidates": [ix.label for ix in report.unused],
    }


@click.command("plans")
@click.argument("source", metavar="[NAME=]URL")
@click.option("--queries", "queries_path", required=True,
              type=click.Path(exists=True, dir_okay=False),
              help="SQL file of SELECT statements separated by semicolons.")
@click.option("--candidate", "candidates", multiple=True, metavar="TABLE.INDEX",
              help="Drop candidate to check (default: the non-unique secondary indexes of "
                   "the tables the queries read).")
@format_option
@timeout_options
@click.option("--lang", type=click.Choice(available_languages()), default=None,
              help="Report language (default: from LANG).")
def plans_cmd(source: str, queries_path: str, candidates: tuple[str, ...], fmt: str,
              lang: str | None) -> None:
    """EXPLAIN each SELECT of a file (never running it) and report the indexes it uses.

    Anything that is not a single SELECT (or WITH ... SELECT) is refused before
    connecting; the session is read-only.

    \b
    Example:
      indexdrift plans prd=mysql://ro@db1/shop --queries slow.sql
    """
    # lazy: --help and the other commands do not pay for the readers (start-up time)
    from indexdrift.sources.envspec import parse_envs
    from indexdrift.sources.urls import is_url, parse_url

    catalog = Catalog(lang or default_language())
    spec = parse_envs([source])[0]
    url = parse_url(spec.source) if is_url(spec.source) else None
    if url is None or dialects.by_name(url.kind).plans is None:
        # A file, or a database whose plans are not read (SQLite): nothing to EXPLAIN on.
        raise IndexDriftError(f"env {spec.name}: plans needs a live database URL "
                              "(mysql://... or postgresql://...)")
    try:
        text = read_input(queries_path, queries_path).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(queries_path, f"not UTF-8 text ({exc.reason})") from None
    # lazy: evidence.plans imports sqlglot, paid only when plans runs (start-up time)
    from indexdrift.evidence.plans import explain_queries, parse_queries

    queries = parse_queries(text, queries_path, url.kind)
    report = explain_queries(url, spec.name, queries, list(candidates) or None)
    if fmt == "json":
        click.echo(json.dumps(report_json(report), ensure_ascii=False, indent=2))
    else:
        click.echo(report_text(report, catalog), nl=False)
