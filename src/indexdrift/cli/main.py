"""The ``indexdrift`` command line. Exit codes: 0 no drift, 1 drift found, 2 bad usage/input."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import click

from indexdrift.cli.columns import tables_compared
from indexdrift.cli.language import run_catalog
from indexdrift.cli.options import (
    config_options,
    expected_counts,
    objects_option,
    parse_objects,
    report_options,
    timeout_options,
    usage_from_option,
)
from indexdrift.cli.outputs import (
    output_formats,
    refuse_binary_stdout,
    write_outputs,
)
from indexdrift.cli.reporting import (
    add_evidence,
    check_report_options,
    load_comparison,
    report_comparison,
    usage_wanted,
)
from indexdrift.cli.show import emit, print_table
from indexdrift.cli.zone import tz_option
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Catalog, Message, available_languages, default_language
from indexdrift.core.interrupts import (
    EXIT_INTERRUPTED,
    Interrupted,
    ignore_signals,
    interrupt_in,
    run_cleanups,
)
from indexdrift.core.interrupts import install as install_signal_handlers
from indexdrift.ddl import LAYOUTS
from indexdrift.report.render import FORMATS

# Only what defining the commands needs is imported here; each command imports the readers,
# the compare, the planner and its report formats when it runs, so ``indexdrift --help``
# and a small compare start in a fraction of the time (docs/performance.md,
# tests/test_startup.py).
if TYPE_CHECKING:
    from indexdrift.compare.tables import Comparison
    from indexdrift.core.target import Target

EXIT_CLEAN, EXIT_DRIFT, EXIT_ERROR = 0, 1, 2


def _catalog(lang: str | None) -> Catalog:
    return Catalog(lang or default_language())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="indexdrift")
@click.option("--debug", is_flag=True, expose_value=False, is_eager=True,
              callback=lambda ctx, param, value: _set_debug(value),
              help="On an unexpected error, print its traceback too (also "
                   "INDEXDRIFT_DEBUG=1).")
def cli() -> None:
    """Find and fix index drift between the environments of one database.

    \b
    Example:
      indexdrift compare indexes_prd.csv indexes_stg.csv indexes_dev.csv
    """


_debug = False


def _set_debug(value: bool) -> None:
    global _debug
    _debug = _debug or value


def _debugging() -> bool:
    return _debug or os.environ.get("INDEXDRIFT_DEBUG", "").lower() in ("1", "true", "yes")


@cli.command("compare")
@click.argument("envs", nargs=-1, metavar="[NAME=]SOURCE...")
@click.option("--baseline", "-b",
              help="Env that is the source of truth (default: prd/prod/production).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Format of standard output (default: a table), or of -o files whose "
                   "name does not tell.")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(dir_okay=False),
              help="Write the report to FILE atomically, its format from the extension "
                   "(repeatable: -o drift.md -o drift.html).")
@report_options
@tz_option
def compare_cmd(envs: tuple[str, ...], baseline: str | None, fmt: str | None,
                outputs: tuple[str, ...], target_args: tuple[str, ...], usage_from: str | None,
                no_usage: bool, summary: bool, top: int | None, csv_layout: str,
                max_chars: int | None,
                lang: str | None, config_path: str | None, jobs: int | None,
                min_targets: dict[str, int], expect_targets: dict[str, int]) -> None:
    """Compare environments with the baseline and report the drift.

    SOURCE is a CSV/TSV export of information_schema.STATISTICS (optionally FILE#SCHEMA),
    a snapshot or export directory, or a live database URL such as
    mysql://user@host:3306/schema.

    \b
    Example:
      indexdrift compare prd=mysql://ro@db1/shop dev=indexes_dev.csv -o drift.html
    """
    # lazy: --help and the other commands do not pay for the readers (start-up time)
    from indexdrift.cli.runs import exit_code

    catalog = _catalog(lang)
    files = output_formats(outputs, fmt)
    shown = fmt or "table"
    if not files:
        refuse_binary_stdout(shown)
    names = [f for _, f in files] or [shown]
    check_report_options(names, summary, max_chars, top)
    comparison, render = report_comparison(
        envs, baseline, catalog, files, names, target_args=target_args,
        usage_from=usage_from, no_usage=no_usage, summary=summary, top=top,
        max_chars=max_chars, csv_layout=csv_layout, config_path=config_path, jobs=jobs,
        expected=expected_counts(min_targets, expect_targets))
    if files:
        write_outputs(files, render, catalog)
    elif shown in ("table", "list"):
        print_table(comparison, catalog, "list" if shown == "list" else "auto")
    else:
        emit(render(shown))
    sys.exit(exit_code(comparison))


@cli.command("export")
@click.argument("source", metavar="[NAME=]SOURCE")
@click.option("-o", "--output", type=click.Path(),
              help="CSV file to write (default: standard output); the directory to write "
                   "when --objects names more than one kind.")
@click.option("--objects", "objects", default="indexes", show_default=True, metavar="KINDS",
              help="indexes: an information_schema.STATISTICS-shaped CSV (the catalog CSV "
                   "of PostgreSQL/SQLite); columns: an information_schema.COLUMNS-shaped "
                   "CSV (live MySQL/MariaDB URL) or the PostgreSQL column CSV (live "
                   "PostgreSQL URL); more kinds (comma-separated: indexes, columns, "
                   "foreign_keys, checks, tables, or all): a directory of one file per "
                   "kind (-o DIR), read back as the source DIR.")
@timeout_options
def export_cmd(source: str, output: str | None, objects: str) -> None:
    """Export one environment's indexes (or columns, or every object kind) as CSV shaped
    like the catalog view.

    The files read back to exactly what a live read gives, so a team without access to
    prod can hand over the files instead (columns: compare --columns-from ENV=FILE; a
    directory: compare ENV=DIR).

    \b
    Example:
      indexdrift export prd=mysql://ro@db1/shop -o indexes_prd.csv
    """
    # lazy: --help and the other commands do not pay for the readers (start-up time)
    from indexdrift.core.atomic import write_atomic
    from indexdrift.sources import open_source
    from indexdrift.sources.columns_export import export_columns_csv
    from indexdrift.sources.envspec import parse_envs
    from indexdrift.sources.export import export_csv

    spec = parse_envs([source])[0]
    chosen = parse_objects(objects)
    if chosen == {"columns"}:
        text, count, tables = export_columns_csv(spec.source, spec.name)
    elif chosen == {"indexes"}:
        snapshot = open_source(spec.source, spec.name)
        text, count, tables = export_csv(snapshot), snapshot.index_count(), len(snapshot.tables)
    else:
        _export_directory(spec, chosen, output)
        return
    if output:
        write_atomic(output, text)
        click.echo(f"wrote {count} {objects} of {tables} tables to {output}", err=True)
    else:
        click.echo(text, nl=False)


def _export_directory(spec, chosen: set[str], output: str | None) -> None:
    """``export --objects`` of more than one kind: one file per kind into ``output``, all
    or nothing (sources/export_dir.py). ``tables`` brings the foreign keys and checks,
    as a read for it does: a table migrate creates from the env is its whole definition."""
    from indexdrift.core.atomic import write_file_set
    from indexdrift.sources import open_source
    from indexdrift.sources.columns_export import export_columns_csv
    from indexdrift.sources.export import export_csv
    from indexdrift.sources.export_dir import export_files, stale_files

    if output is None:
        raise IndexDriftError("export --objects " + ",".join(sorted(chosen)) + ": give the "
                              "directory to write with -o DIR (one file per kind)")
    kinds = chosen | {"indexes"}
    if "tables" in kinds:
        kinds |= {"foreign_keys", "checks"}
    reads = frozenset(read for word, read in (("foreign_keys", "foreign_keys"),
                                              ("checks", "checks"), ("tables", "options"))
                      if word in kinds)
    columns_text = (export_columns_csv(spec.source, spec.name)[0] if "columns" in kinds
                    else None)
    snapshot = open_source(spec.source, spec.name, objects=reads)
    unread = sorted(reads - snapshot.objects)
    if unread:
        # Written anyway, the file would say "none" of what the source never told.
        raise IndexDriftError(f"env {spec.name}: {_redact(spec.source)} does not hold "
                              + ", ".join(unread) + "; export a live database, a snapshot "
                              "taken with --objects all or an export directory holding them")
    files = export_files(snapshot, kinds, columns_text, export_csv(snapshot))
    directory = Path(output)
    if directory.exists() and not directory.is_dir():
        raise IndexDriftError(f"export: {output} is a file; give a directory for more than "
                              "one kind")
    stale = stale_files(directory, set(files))
    if stale:
        raise IndexDriftError(f"export: {output} holds {', '.join(stale)} of an earlier "
                              "export, which this one does not write (read back, it would be "
                              "taken for this env's); remove it or export into a new "
                              "directory")
    write_file_set({directory / name: text for name, text in files.items()}, overwrite=True)
    click.echo(f"wrote {', '.join(sorted(kinds))} of {len(snapshot.tables)} tables to "
               f"{output}", err=True)


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


@cli.command("migrate")
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


from indexdrift.cli.explain import explain_cmd  # noqa: E402
from indexdrift.cli.lint import lint_cmd  # noqa: E402
from indexdrift.cli.plans import plans_cmd  # noqa: E402

cli.add_command(explain_cmd)
cli.add_command(lint_cmd)
cli.add_command(plans_cmd)

from indexdrift.cli.check import check_cmd  # noqa: E402
from indexdrift.cli.snapshot import snapshot_cmd  # noqa: E402

cli.add_command(check_cmd)
cli.add_command(snapshot_cmd)


def _redact(text: str) -> str:
    """``text`` without URL passwords (sources.urls.redact, imported when needed: an error
    line is no reason to load the readers up front)."""
    from indexdrift.sources.urls import redact

    return redact(text)


def _command_line() -> str:
    """The command as typed, for an error line: credentials removed, kept short."""
    text = _redact(" ".join(["indexdrift", *sys.argv[1:]]))
    return text if len(text) <= 200 else text[:197] + "..."


def _quiet_exit(code: int) -> None:
    """Exit now. After an interrupt, reads still running in worker threads (a fleet, usage
    counters) would hold the exit until their timeouts: they are not waited for."""
    if threading.active_count() > 1:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    sys.exit(code)


def _error(text: str) -> None:
    """``error: TEXT`` (in the run's language) on standard error."""
    click.echo(run_catalog().t("cli.error", message=text), err=True)


def _interrupted() -> None:
    ignore_signals()  # a second Ctrl-C must not cut the one line short
    run_cleanups()  # worker threads are not waited for: what they hold is undone here
    click.echo(run_catalog().t("cli.interrupted"), err=True)
    _quiet_exit(EXIT_INTERRUPTED)


def main() -> None:
    """Console-script entry point: one-line errors, exit code 2, no traceback.

    SIGINT and SIGTERM end any command with ``interrupted`` and exit 130 (files being
    written are taken back first, see atomic.py). An error nobody foresaw (a bug) is one
    line naming the command too; ``--debug`` or INDEXDRIFT_DEBUG=1 adds the traceback.
    """
    install_signal_handlers()
    try:
        _run()
    finally:
        # Done (or already interrupted): a signal during the interpreter's own shutdown,
        # when Python's handlers are gone, would otherwise kill it with nothing to stop.
        ignore_signals()


def _run() -> None:
    try:
        cli.main(standalone_mode=False)
    except (Interrupted, KeyboardInterrupt):
        _interrupted()
    except click.exceptions.Abort as exc:
        # click turns a KeyboardInterrupt (or EOF) in a prompt into Abort.
        if isinstance(exc.__context__, KeyboardInterrupt):
            _interrupted()
        click.echo(run_catalog().t("cli.aborted"), err=True)
        sys.exit(EXIT_ERROR)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_ERROR)
    except IndexDriftError as exc:
        _error(exc.said_in(run_catalog()))
        sys.exit(EXIT_ERROR)
    except FileExistsError as exc:
        _error(run_catalog().t("error.exists", path=str(exc)))
        sys.exit(EXIT_ERROR)
    except OSError as exc:
        _error(_redact(str(exc)))
        sys.exit(EXIT_ERROR)
    except Exception as exc:  # noqa: BLE001 - a bug: one line, not a traceback
        if interrupt_in(exc):  # an interrupt the interpreter wrapped (see interrupt_in)
            _interrupted()
        if _debugging():
            import traceback  # lazy: only a bug with --debug prints one (start-up time)

            traceback.print_exc()
        cause = _redact(f"{type(exc).__name__}: {exc}".splitlines()[0])
        catalog = run_catalog()
        hint = "" if _debugging() else catalog.t("error.internal_hint")
        _error(catalog.t("error.internal", command=_command_line(), cause=cause, hint=hint))
        sys.exit(EXIT_ERROR)
