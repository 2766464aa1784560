"""``indexdrift check``: compare with exit codes made for CI.

0 clean (or only waived differences), 1 drift that no waiver covers, 2 an error or an
incomplete run (a target could not be read; the reports of the rest are still written).
"""

from __future__ import annotations

import sys

import click

from indexdrift.cli.columns import add_requested_objects
from indexdrift.cli.runs import (
    EXIT_DRIFT,
    EXIT_ERROR,
    config_options,
    exit_code,
    expected_counts,
    run_comparison,
)
from indexdrift.compare.waivers import open_findings
from indexdrift.core.atomic import write_atomic
from indexdrift.core.i18n import Catalog, available_languages, default_language
from indexdrift.report.render import FORMATS, format_from_path, renderer_for


def verdict(code: int, open_count: int, waived: int, incomplete: int,
            short: tuple[str, ...] = ()) -> str:
    """The one-line result printed on standard error (``short``: fleets below their
    min_targets / expect_targets, counted apart from the unread targets)."""
    if code == EXIT_ERROR:
        fleets = (f"fleet(s) {', '.join(short)} short of their target count; "
                  if short else "")
        return (f"check: INCOMPLETE — {fleets}{incomplete - len(short)} target(s) could not "
                f"be read; {open_count} finding(s) not waived among the rest, {waived} waived")
    if code == EXIT_DRIFT:
        return f"check: DRIFT — {open_count} finding(s) not waived, {waived} waived"
    return "check: OK — no drift" + (f" ({waived} waived)" if waived else "")


@click.command("check")
@click.argument("envs", nargs=-1, metavar="[ENV|NAME=SOURCE]...")
@click.option("--baseline", "-b", help="Env that is the source of truth.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Format of standard output (default: md), or of -o files whose "
                   "extension does not say.")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False),
              help="Write the report to FILE (repeatable: -o drift.md -o drift.json).")
@click.option("--quiet", "-q", is_flag=True, help="No report on standard output.")
@click.option("--lang", type=click.Choice(available_languages()), default=None,
              help="Report language (default: from LANG).")
@config_options
def check_cmd(envs: tuple[str, ...], baseline: str | None, fmt: str | None,
              outputs: tuple[str, ...], quiet: bool, lang: str | None,
              config_path: str | None, jobs: int | None, min_targets: dict[str, int],
              expect_targets: dict[str, int]) -> None:
    """Compare like ``compare`` and exit 0 clean, 1 drift not waived, 2 error/incomplete.

    Without ENV arguments every env of indexdrift.toml is checked against its baseline.
    """
    catalog = Catalog(lang or default_language())
    # Indexes only (and whole tables), as always: a snapshot file may carry columns,
    # foreign keys, checks and options, which check does not compare.
    comparison = run_comparison(envs, baseline, config_path=config_path, jobs=jobs,
                                expected=expected_counts(min_targets, expect_targets),
                                extend=add_requested_objects)
    for path in outputs:
        chosen = format_from_path(path) or fmt or "md"
        write_atomic(path, renderer_for(chosen)(comparison, catalog))
        click.echo(f"wrote {path}", err=True)
    if not outputs and not quiet:
        text = renderer_for(fmt or "md")(comparison, catalog)
        if isinstance(text, bytes):
            raise click.UsageError(f"--format {fmt} is binary; write it with -o FILE")
        click.echo(text, nl=False)
    code = exit_code(comparison)
    open_count = len(open_findings(comparison))
    click.echo(verdict(code, open_count, len(comparison.findings) - open_count,
                       len(comparison.incomplete),
                       tuple(c.env for c in comparison.fleets if c.shortfall() is not None)),
               err=True)
    sys.exit(code)
