"""``indexdrift check``: compare with exit codes made for CI.

0 clean (or only waived differences), 1 drift that no waiver covers, 2 an error or an
incomplete run (a target could not be read; the reports of the rest are still written).
"""

from __future__ import annotations

import sys

import click

from indexdrift.cli.options import expected_counts, report_options
from indexdrift.cli.outputs import output_formats, refuse_binary_stdout, write_outputs
from indexdrift.cli.reporting import (
    check_report_options,
    report_comparison,
)
from indexdrift.cli.show import emit, print_table
from indexdrift.cli.zone import tz_option
from indexdrift.core.i18n import Catalog, default_language
from indexdrift.report.render import FORMATS


def verdict(code: int, open_count: int, waived: int, incomplete: int,
            short: tuple[str, ...] = (), catalog: Catalog | None = None) -> str:
    """The one-line result printed on standard error (``short``: fleets below their
    min_targets / expect_targets, counted apart from the unread targets), in the
    catalog's language (default English)."""
    from indexdrift.cli.runs import EXIT_DRIFT, EXIT_ERROR  # lazy: the readers (start-up time)

    catalog = catalog or Catalog("en")
    if code == EXIT_ERROR:
        fleets = catalog.t("check.fleets_short", fleets=", ".join(short)) if short else ""
        return catalog.t("check.incomplete", fleets=fleets, unread=incomplete - len(short),
                         open=open_count, waived=waived)
    if code == EXIT_DRIFT:
        return catalog.t("check.drift", open=open_count, waived=waived)
    return catalog.t("check.ok_waived", waived=waived) if waived else catalog.t("check.ok")


@click.command("check")
@click.argument("envs", nargs=-1, metavar="[ENV|NAME=SOURCE]...")
@click.option("--baseline", "-b", help="Env that is the source of truth.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Format of standard output (default: a table, as compare prints), or "
                   "of -o files whose name does not tell.")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False),
              help="Write the report to FILE, its format from the extension (repeatable: "
                   "-o drift.md -o drift.json).")
@click.option("--quiet", "-q", is_flag=True, help="No report on standard output.")
@report_options
@tz_option
def check_cmd(envs: tuple[str, ...], baseline: str | None, fmt: str | None,
              outputs: tuple[str, ...], quiet: bool, target_args: tuple[str, ...],
              usage_from: str | None, no_usage: bool, summary: bool, top: int | None,
              csv_layout: str,
              max_chars: int | None, lang: str | None, config_path: str | None,
              jobs: int | None, min_targets: dict[str, int],
              expect_targets: dict[str, int]) -> None:
    """Compare like compare and exit 0 clean, 1 drift not waived, 2 error or incomplete.

    Without ENV arguments every env of indexdrift.toml is checked against its baseline.
    It takes the options compare takes; the report goes to standard output unless -o
    or --quiet says otherwise, the verdict line to standard error.

    \b
    Example:
      indexdrift check --no-usage -o drift.md -o drift.json
    """
    # lazy: --help and the other commands do not pay for the readers (start-up time)
    from indexdrift.cli.runs import exit_code
    from indexdrift.compare.waivers import open_findings

    catalog = Catalog(lang or default_language())
    files = output_formats(outputs, fmt)
    shown = None if files or quiet else fmt or "table"
    if shown is not None:
        refuse_binary_stdout(shown)
    names = [f for _, f in files] + ([shown] if shown else [])
    check_report_options(names or ["md"], summary, max_chars, top)
    comparison, render = report_comparison(
        envs, baseline, catalog, files, names, target_args=target_args,
        usage_from=usage_from, no_usage=no_usage, summary=summary, top=top,
        max_chars=max_chars, csv_layout=csv_layout, config_path=config_path, jobs=jobs,
        expected=expected_counts(min_targets, expect_targets))
    write_outputs(files, render, catalog)
    if shown in ("table", "list"):
        print_table(comparison, catalog, "list" if shown == "list" else "auto")
    elif shown is not None:
        emit(render(shown))
    code = exit_code(comparison)
    open_count = len(open_findings(comparison))
    click.echo(verdict(code, open_count, len(comparison.findings) - open_count,
                       len(comparison.incomplete),
                       tuple(c.env for c in comparison.fleets if c.shortfall() is not None),
                       catalog), err=True)
    sys.exit(code)
