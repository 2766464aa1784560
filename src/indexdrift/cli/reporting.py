"""What compare and check share: the report options, reading the comparison with its
evidence (usage counters, lint advisories) and rendering one format.

One set of options, so ``check`` takes whatever ``compare`` takes (``--no-usage``,
``--usage-from``, ``--target``, ``--objects``, ``--summary``...) and both print the same
default format.
"""

from __future__ import annotations

from functools import partial

import click

from indexdrift.cli.columns import (
    add_requested_objects,
    objects_option,
    requested_columns,
    requested_reads,
)
from indexdrift.cli.runs import UsageWanted, config_options, run_comparison
from indexdrift.compare.stream import EnvSummary
from indexdrift.compare.tables import Comparison
from indexdrift.core.errors import TextError
from indexdrift.core.i18n import Catalog, available_languages
from indexdrift.evidence.attach import attach_usage
from indexdrift.evidence.text import unavailable_lines
from indexdrift.model.kinds import FOREIGN_KEYS
from indexdrift.model.tables import Snapshot
from indexdrift.report.lint import lint_snapshot
from indexdrift.report.render import STATEMENT_FORMATS, renderer_for
from indexdrift.report.render.statements import build_statements
from indexdrift.sources.envspec import parse_envs

# GitHub refuses an issue or pull-request body above 65,536 characters.
GITHUB_BODY_LIMIT = 65536
DEFAULT_TOP = 20


def load_comparison(env_args: tuple[str, ...], baseline: str | None, *,
                    detail: bool = False, config_path: str | None = None,
                    jobs: int | None = None,
                    expected: dict[str, dict[str, int]] | None = None,
                    usage: UsageWanted | None = None) -> Comparison:
    """Read the envs (arguments or indexdrift.toml), compare them (columns too when
    --objects asks), apply the config's ignore rules and waivers (see indexdrift.cli.runs).
    ``usage``: whose usage counters add_evidence attaches next (read with the catalog)."""
    return run_comparison(env_args, baseline, config_path=config_path, detail=detail,
                          jobs=jobs, expected=expected, columns=requested_columns(),
                          objects=requested_reads(), extend=add_requested_objects,
                          lint=partial(lint_snapshot, foreign_keys=foreign_keys_linted()),
                          usage=usage)


def usage_wanted(usage_from: str | None, no_usage: bool) -> UsageWanted | None:
    """What add_evidence will attach, for the catalog reads to take along (None: none)."""
    return None if no_usage else UsageWanted(usage_from)


def usage_from_option(func):
    """``--usage-from ENV`` and ``--no-usage``."""
    func = click.option("--no-usage", is_flag=True,
                        help="Don't read index usage counters from live sources.")(func)
    return click.option(
        "--usage-from", metavar="ENV",
        help="Take index usage evidence from ENV (e.g. prd) instead of the env being "
             "changed.")(func)


def add_evidence(comparison: Comparison, env_args: tuple[str, ...], usage_from: str | None,
                 no_usage: bool = False, catalog: Catalog | None = None) -> None:
    """Usage counts of live envs on the findings, and lint advisories (never drift).

    With a ``catalog``, envs without usage counters get a warning on stderr saying why:
    one line per reason naming its envs (three envs on one server without userstat are
    one warning, not three).
    """
    if not no_usage:
        attach_usage(comparison, parse_envs(env_args), usage_from)
        if catalog is not None:
            for line in unavailable_lines(comparison.usage_unavailable, catalog):
                click.echo(catalog.t("cli.warning", message=line), err=True)
    fks = foreign_keys_linted(comparison)
    comparison.advisories = {name: found for name, snap in comparison.snapshots.items()
                             if (found := _advisories(snap, fks))}


def foreign_keys_linted(comparison: Comparison | None = None) -> bool:
    """Foreign keys without an index are advisories only when --objects asks for foreign
    keys (like their findings), even from a snapshot file that holds them."""
    if comparison is not None and comparison.objects:
        return FOREIGN_KEYS in comparison.objects
    return FOREIGN_KEYS in click.get_current_context().meta.get("indexdrift.objects", set())


def _advisories(snap: Snapshot | EnvSummary, foreign_keys: bool) -> list:
    """An env's lint advisories: a fleet target's were taken before its snapshot went."""
    if isinstance(snap, EnvSummary):
        assert snap.advisories is not None, "run_comparison(lint=...) lints fleet targets"
        return snap.advisories
    return lint_snapshot(snap, foreign_keys=foreign_keys)


lang_option = click.option("--lang", type=click.Choice(available_languages()), default=None,
                           help="Report language (default: from LANG, Korean when it is ko_*).")


def _max_chars(_ctx, _param, value: int | None) -> int | None:
    if value is not None and 0 < value < 2000:
        raise TextError("output.max_chars_small", value=value)
    return value


def report_options(func):
    """The options of a report run, shared by compare and check."""
    func = click.option(
        "--max-chars", type=click.IntRange(min=0), default=None, metavar="N",
        callback=_max_chars,
        help=f"Cut the Markdown report to at most N characters, saying what was left out "
             f"(default {GITHUB_BODY_LIMIT}, what a GitHub issue body holds; 0: no "
             "limit).")(func)
    func = click.option(
        "--csv-layout", type=click.Choice(["findings", "matrix"]), default="findings",
        show_default=True,
        help="CSV: one row per env and finding, or the matrix (one row per object, one "
             "column per env).")(func)
    func = click.option(
        "--top", type=click.IntRange(min=1), default=None, metavar="N",
        help=f"With --summary: how many findings it lists (default {DEFAULT_TOP}).")(func)
    func = click.option(
        "--summary", "summary", is_flag=True,
        help="Markdown: counts per env and kind and the top findings only, with a hint "
             "to the full report.")(func)
    func = click.option(
        "--target", "target_args", multiple=True, metavar="[ENV=]FLAVOR[:VERSION]",
        help="Server the md/html/xlsx reports write each env's migration for, when a "
             "file source cannot tell (mysql:8.0).")(func)
    func = usage_from_option(func)
    func = lang_option(func)
    func = objects_option(func)
    return config_options(func)


def check_report_options(fmt_names: list[str], summary: bool, max_chars: int | None,
                         top: int | None = None) -> None:
    """--summary and --max-chars shape the Markdown report only, --top the summary only:
    refuse them otherwise."""
    if top is not None and not summary:
        raise TextError("output.top_needs_summary")
    if "md" in fmt_names:
        return
    if summary:
        raise TextError("output.md_only", option="--summary")
    if max_chars is not None:
        raise TextError("output.md_only", option="--max-chars")


def needs_detail(fmt_names: list[str], csv_layout: str = "findings") -> bool:
    """Reports with statements read what migrate reads (FKs, AUTO_INCREMENT, sizes)."""
    return any(f in STATEMENT_FORMATS and not (f == "csv" and csv_layout == "matrix")
               for f in fmt_names)


def render_report(comparison: Comparison, catalog: Catalog, fmt: str, *,
                  target_args: tuple[str, ...] = (), summary: bool = False,
                  top: int | None = None, max_chars: int | None = None,
                  full_reports: tuple[str, ...] = (),
                  csv_layout: str = "findings") -> str | bytes:
    """The report of one format; the Markdown cut to ``max_chars`` (default: what GitHub
    takes) or, with ``summary``, the short version."""
    extra: dict[str, object] = {}
    if fmt == "md":
        extra["max_chars"] = GITHUB_BODY_LIMIT if max_chars is None else max_chars
        extra["full_reports"] = full_reports
        if summary:
            extra["top"] = top or DEFAULT_TOP
            return renderer_for(fmt)(comparison, catalog, **extra)
    if fmt == "csv":
        extra["layout"] = csv_layout
        if csv_layout == "matrix":
            return renderer_for(fmt)(comparison, catalog, **extra)
    if fmt in STATEMENT_FORMATS:
        # The scripts' comment lines in the report's language, as migrate --lang.
        extra["statements"] = build_statements(comparison, target_args, lang=catalog)
    return renderer_for(fmt)(comparison, catalog, **extra)
