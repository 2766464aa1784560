"""What compare and check share: reading the comparison with its evidence (usage
counters, lint advisories) and rendering one format.

One set of options (cli.options.report_options), so ``check`` takes whatever ``compare``
takes (``--no-usage``, ``--usage-from``, ``--target``, ``--objects``, ``--summary``...)
and both print the same default format.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

import click

from indexdrift.cli.options import DEFAULT_TOP, GITHUB_BODY_LIMIT
from indexdrift.core.errors import TextError
from indexdrift.core.i18n import Catalog
from indexdrift.model.kinds import FOREIGN_KEYS
from indexdrift.report.render import STATEMENT_FORMATS, renderer_for

# Only named here: the readers, the compare, the lint and the statements are imported by
# the functions that use them, when a command runs (start-up time: tests/test_startup.py).
if TYPE_CHECKING:
    from indexdrift.cli.runs import UsageWanted
    from indexdrift.compare.stream import EnvSummary
    from indexdrift.compare.tables import Comparison
    from indexdrift.model.tables import Snapshot


def load_comparison(env_args: tuple[str, ...], baseline: str | None, *,
                    detail: bool = False, config_path: str | None = None,
                    jobs: int | None = None,
                    expected: dict[str, dict[str, int]] | None = None,
                    usage: UsageWanted | None = None) -> Comparison:
    """Read the envs (arguments or indexdrift.toml), compare them (columns too when
    --objects asks), apply the config's ignore rules and waivers (see indexdrift.cli.runs).
    ``usage``: whose usage counters add_evidence attaches next (read with the catalog)."""
    from indexdrift.cli.columns import add_requested_objects, requested_columns, requested_reads
    from indexdrift.cli.runs import run_comparison

    return run_comparison(env_args, baseline, config_path=config_path, detail=detail,
                          jobs=jobs, expected=expected, columns=requested_columns(),
                          objects=requested_reads(), extend=add_requested_objects,
                          lint=partial(_lint, foreign_keys=foreign_keys_linted(), memo=[]),
                          usage=usage)


def _lint(snapshot: Snapshot, *, foreign_keys: bool, memo: list) -> list:
    """A fleet target's advisories (run_comparison's ``lint``), the lint loaded only then:
    not before the catalog queries are sent (docs/performance.md).

    ``memo``: a one-slot list holding the run's memo, made on the first target, so that a
    table the targets share (the readers hand out one Table for the same rows) is linted
    once per run, not once per target; bounded, as the targets' snapshots are dropped.
    """
    from indexdrift.report.lint import BoundedMemo, lint_snapshot

    if not memo:
        memo.append(BoundedMemo())
    return lint_snapshot(snapshot, foreign_keys=foreign_keys, memo=memo[0])


def usage_wanted(usage_from: str | None, no_usage: bool) -> UsageWanted | None:
    """What add_evidence will attach, for the catalog reads to take along (None: none)."""
    from indexdrift.cli.runs import UsageWanted

    return None if no_usage else UsageWanted(usage_from)


def add_evidence(comparison: Comparison, env_args: tuple[str, ...], usage_from: str | None,
                 no_usage: bool = False, catalog: Catalog | None = None) -> None:
    """Usage counts of live envs on the findings, and lint advisories (never drift).

    With a ``catalog``, envs without usage counters get a warning on stderr saying why:
    one line per reason naming its envs (three envs on one server without userstat are
    one warning, not three).
    """
    if not no_usage:
        from indexdrift.evidence.attach import attach_usage
        from indexdrift.evidence.text import unavailable_lines
        from indexdrift.sources.envspec import parse_envs

        attach_usage(comparison, parse_envs(env_args), usage_from)
        if catalog is not None:
            for line in unavailable_lines(comparison.usage_unavailable, catalog):
                click.echo(catalog.t("cli.warning", message=line), err=True)
    fks = foreign_keys_linted(comparison)
    memo: dict = {}  # tables the envs share are linted once (report.lint.lint_snapshot)
    comparison.advisories = {name: found for name, snap in comparison.snapshots.items()
                             if (found := _advisories(snap, fks, memo))}


def foreign_keys_linted(comparison: Comparison | None = None) -> bool:
    """Foreign keys without an index are advisories only when --objects asks for foreign
    keys (like their findings), even from a snapshot file that holds them."""
    if comparison is not None and comparison.objects:
        return FOREIGN_KEYS in comparison.objects
    return FOREIGN_KEYS in click.get_current_context().meta.get("indexdrift.objects", set())


def _advisories(snap: Snapshot | EnvSummary, foreign_keys: bool, memo: dict) -> list:
    """An env's lint advisories: a fleet target's were taken before its snapshot went."""
    from indexdrift.compare.stream import EnvSummary
    from indexdrift.report.lint import lint_snapshot

    if isinstance(snap, EnvSummary):
        assert snap.advisories is not None, "run_comparison(lint=...) lints fleet targets"
        return snap.advisories
    return lint_snapshot(snap, foreign_keys=foreign_keys, memo=memo)


def report_comparison(envs: tuple[str, ...], baseline: str | None, catalog: Catalog,
                      files: list[tuple[str, str]], names: list[str], *,
                      target_args: tuple[str, ...], usage_from: str | None, no_usage: bool,
                      summary: bool, top: int | None, max_chars: int | None,
                      csv_layout: str, config_path: str | None, jobs: int | None,
                      expected: dict[str, dict[str, int]] | None
                      ) -> tuple[Comparison, Callable[[str], str | bytes]]:
    """What compare and check report: the envs read and compared (the detail the report
    formats ``names`` need), usage evidence and advisories added, and the renderer of a
    format for that comparison (the -o ``files`` named as the full reports)."""
    from indexdrift.cli.outputs import full_reports
    from indexdrift.cli.runs import env_args

    comparison = load_comparison(envs, baseline, config_path=config_path, jobs=jobs,
                                 detail=needs_detail(names, csv_layout), expected=expected,
                                 usage=usage_wanted(usage_from, no_usage))
    add_evidence(comparison, env_args(comparison), usage_from, no_usage, catalog)
    render = partial(render_report, comparison, catalog, target_args=target_args,
                     summary=summary, top=top, max_chars=max_chars,
                     full_reports=full_reports(files), csv_layout=csv_layout)
    return comparison, render


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
        # The scripts' comment lines in the report's language, as migrate --lang (lazy: the
        # planner loads only for the formats that show statements).
        from indexdrift.report.render.statements import build_statements

        extra["statements"] = build_statements(comparison, target_args, lang=catalog)
    return renderer_for(fmt)(comparison, catalog, **extra)
