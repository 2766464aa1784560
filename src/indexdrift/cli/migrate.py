"""``indexdrift migrate``: per-env migrations (and rollbacks) that make each env match the
baseline. Imported only when the command runs or is listed (cli/main.py's lazy command
table: start-up time)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from indexdrift.cli.columns import tables_compared
from indexdrift.cli.language import run_catalog
from indexdrift.cli.options import (
    config_options,
    expected_counts,
    objects_option,
    usage_from_option,
)
from indexdrift.cli.reporting import add_evidence, load_comparison, usage_wanted
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Catalog, Message, available_languages, default_language
from indexdrift.ddl import LAYOUTS

if TYPE_CHECKING:
    from indexdrift.compare.tables import Comparison
    from indexdrift.core.target import Target

EXIT_CLEAN, EXIT_ERROR = 0, 2


def _catalog(lang: str | None) -> Catalog:
    return Catalog(lang or default_language())


def resolve_targets(comparison: Comparison, target_args: tuple[str, ...]) -> dict[str, Target]:
    """Each env's target server: ``--target [ENV=]FLAVOR[:VERSION]``, else what was read."""
    from indexdrift.core.target import parse_target_args, target_of  # lazy: migrate only

    default, per_env = parse_target_args(target_args, comparison.snapshots)
    targets: dict[str, Target] = {}
    for env in comparison.envs:
        snap = comparison.snapshots[env]
        found = per_env.get(env) or default or target_of(snap.flavor, snap.version)
        if found is None:
            raise IndexDriftError(Message("error.flavor_unknown", env=env, source=snap.source))
        targets[env] = found
    return targets


def _size(text: str) -> int:
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    value = text.strip().lower().rstrip("b").rstrip("i")
    if value and value[-1] in units:
        return int(float(value[:-1]) * units[value[-1]])
    return int(value)


def _duration(text: str) -> int | None:
    """``--lock-timeout``: ``10s``, ``500ms``, ``2m``, a number of seconds, or ``off``
    (None: no SET) as milliseconds."""
    value = text.strip().lower()
    if value in ("off", "none"):
        return None
    suffix = next((unit for unit in ("ms", "s", "m") if value.endswith(unit)), "")
    number, factor = value.removesuffix(suffix), {"ms": 1, "s": 1000, "m": 60_000,
                                                  "": 1000}[suffix]
    try:
        milliseconds = round(float(number) * factor)
    except (ValueError, OverflowError):
        milliseconds = 0
    if not 0 < milliseconds <= 86_400_000:
        raise click.BadParameter(f"{text!r} is not a duration from 1ms to 24h (10s, 500ms, "
                                 "2m) or off", param_hint="--lock-timeout")
    return milliseconds


@click.command("migrate")
@click.argument("envs", nargs=-1, metavar="[NAME=]SOURCE...")
@click.option("--baseline", "-b", help="Env that is the source of truth.")
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False),
              help="Directory to write.")
@click.option("--layout", type=click.Choice(LAYOUTS), default="plain", show_default=True)
@click.option("--env", "only_envs", multiple=True, help="Only these env(s).")
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the script(s) instead.")
@click.option("--rollback", is_flag=True, help="With --stdout: print the rollback script.")
@click.option("--drop-extra", is_flag=True, help="Really drop indexes only the env has.")
@click.option("--online", type=click.Choice(["on", "off"]), default="on", show_default=True,
              help="ALGORITHM/LOCK clauses where the server can promise them.")
@click.option("--target", "target_args", multiple=True, metavar="[ENV=]FLAVOR[:VERSION]",
              help="Server to write DDL for when a file source cannot tell (mysql:8.0).")
@click.option("--version", "version", help="Migration version (default: UTC timestamp).")
@click.option("--large-table", default="1GiB", show_default=True,
              help="Tables above this size get pt-online-schema-change / gh-ost advice.")
@click.option("--force", is_flag=True, help="Overwrite existing migration files.")
@click.option("--staged-drop", is_flag=True,
              help="Hide dropped indexes first (INVISIBLE/IGNORED); the DROP is a second, "
                   "later migration (MySQL 8, MariaDB 10.6+).")
@click.option("--explain", "explain", is_flag=True,
              help="Put a plain-language explanation (what each statement does, its online "
                   "DDL cost) as comments above every statement; --lang picks the language.")
@click.option("--lang", type=click.Choice(available_languages()), default=None,
              help="Language of the scripts' comment lines (headers, notes, held-back reasons; "
                   "default English) and of --explain comments (default: from LANG).")
@click.option("--lock-timeout", default="10s", show_default=True, metavar="DURATION",
              help="Set at the top of every script: a statement that waits longer for its "
                   "lock fails instead of queueing the table's queries behind it "
                   "(lock_wait_timeout on MySQL/MariaDB, lock_timeout on PostgreSQL); "
                   "e.g. 5s, 500ms, 2m, or off.")
@click.option("--guard", is_flag=True,
              help="Plain layout: run the UNIQUE/PRIMARY KEY duplicate-rows pre-checks as "
                   "statements that stop the script when duplicates exist (Liquibase "
                   "changesets always carry them as preconditions).")
@usage_from_option
@objects_option
@config_options
def migrate_cmd(envs: tuple[str, ...], baseline: str | None, out_dir: str | None, layout: str,
                only_envs: tuple[str, ...], to_stdout: bool, rollback: bool, drop_extra: bool,
                online: str, target_args: tuple[str, ...], version: str | None,
                large_table: str, force: bool, staged_drop: bool, explain: bool,
                lang: str | None, lock_timeout: str, guard: bool,
                usage_from: str | None, no_usage: bool,
                config_path: str | None, jobs: int | None, min_targets: dict[str, int],
                expect_targets: dict[str, int]) -> None:
    """Write per-env migrations (and rollbacks) that make each env match the baseline.

    \b
    Example:
      indexdrift migrate indexes_prd.csv indexes_dev.csv -o migrations
    """
    # lazy: the planner and the DDL load only when migrate runs (start-up time)
    from indexdrift.cli.runs import env_args, skip_waived
    from indexdrift.ddl.layouts import checked_text, default_version, write_layout
    from indexdrift.ddl.script import ScriptSettings, build_script
    from indexdrift.plan.planner import PlanOptions, plan_env

    if not to_stdout and not out_dir:
        raise click.UsageError(run_catalog().t("error.out_or_stdout"))
    try:
        threshold = _size(large_table)
    except ValueError:
        raise click.BadParameter(f"{large_table!r} is not a size",
                                 param_hint="--large-table") from None
    settings = ScriptSettings(lock_timeout_ms=_duration(lock_timeout), schema_guard=True,
                              guard=guard, risks=True, why=True)
    if guard and layout != "plain" and not to_stdout:
        raise click.BadParameter(Catalog(lang or default_language()).t(
            "migrate.guard.plain_only"), param_hint="--guard")
    comparison = load_comparison(envs, baseline, detail=True, config_path=config_path,
                                 jobs=jobs, expected=expected_counts(min_targets,
                                                                     expect_targets),
                                 usage=usage_wanted(usage_from, no_usage))
    skip_waived(comparison)
    add_evidence(comparison, env_args(comparison), usage_from, no_usage)
    for env in only_envs:
        if env not in comparison.envs:
            raise IndexDriftError(Message("error.only_env", env=env,
                                          envs=", ".join(comparison.envs)))
    # The version is known before planning: a staged drop's holding table names it.
    version = version or default_version()
    options = PlanOptions(drop_extra=drop_extra, online=online == "on",
                          large_table_bytes=threshold, staged_drop=staged_drop,
                          tables=tables_compared(), version=version)
    targets = resolve_targets(comparison, target_args)
    chosen = [e for e in comparison.envs if not only_envs or e in only_envs]
    catalog = _catalog(lang) if explain else None
    # Comment lines are English unless --lang says otherwise (SQL never changes).
    comments = Catalog(lang) if lang else None
    scripts = [build_script(plan_env(comparison, env, targets[env], options), comparison, options,
                            explain=catalog, lang=comments, settings=settings)
               for env in chosen]
    if to_stdout:
        shown = [s for first in scripts for s in (first, first.later) if s is not None]
        # Piped into psql or mysql as often as written to files: the same line check first,
        # for every script, before anything is printed.
        texts = [checked_text(script, script.down_text() if rollback else script.up_text(),
                              f"<stdout: {script.plan.env}>") for script in shown]
        for text in texts:
            click.echo(text, nl=False)
        sys.exit(EXIT_ERROR if comparison.incomplete else EXIT_CLEAN)
    written = write_layout(scripts, out_dir, layout, version, force)
    for path in written:
        click.echo(f"wrote {path}", err=True)
    if comparison.incomplete:
        sys.exit(EXIT_ERROR)
