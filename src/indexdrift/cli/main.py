"""The ``indexdrift`` command line. Exit codes: 0 no drift, 1 drift found, 2 bad usage/input."""

from __future__ import annotations

import os
import sys
import threading
from importlib import import_module

import click

from indexdrift.cli.language import run_catalog
from indexdrift.cli.options import expected_counts, report_options
from indexdrift.cli.outputs import output_formats, refuse_binary_stdout, write_outputs
from indexdrift.cli.reporting import check_report_options, report_comparison
from indexdrift.cli.show import emit, print_table
from indexdrift.cli.zone import tz_option
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Catalog, default_language
from indexdrift.core.interrupts import (
    EXIT_INTERRUPTED,
    Interrupted,
    ignore_signals,
    interrupt_in,
    run_cleanups,
)
from indexdrift.core.interrupts import install as install_signal_handlers
from indexdrift.report.render import FORMATS

# Only what defining compare needs is imported here (the other commands live in modules of
# their own, imported when run or listed: _Commands); each command imports the readers, the
# compare, the planner and its report formats when it runs, so ``indexdrift --help`` and a
# small compare start in a fraction of the time (docs/performance.md, tests/test_startup.py).

EXIT_CLEAN, EXIT_DRIFT, EXIT_ERROR = 0, 1, 2


def _catalog(lang: str | None) -> Catalog:
    return Catalog(lang or default_language())


class _Commands(click.Group):
    """The group whose commands defined in modules of their own are imported when one runs
    or when they are listed (``--help``, completion): a compare does not build migrate's,
    export's or the others' options (start-up time). Each module's command is its name."""

    LAZY = {"check": "indexdrift.cli.check:check_cmd",
            "explain": "indexdrift.cli.explain:explain_cmd",
            "export": "indexdrift.cli.export:export_cmd",
            "lint": "indexdrift.cli.lint:lint_cmd",
            "migrate": "indexdrift.cli.migrate:migrate_cmd",
            "plans": "indexdrift.cli.plans:plans_cmd",
            "snapshot": "indexdrift.cli.snapshot:snapshot_cmd"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command's name, the lazy ones too, in click's (sorted) order."""
        return sorted({*self.commands, *self.LAZY})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command ``cmd_name``, its module imported the first time it is asked for. An
        unknown name loads them all: click's "Did you mean" looks among the loaded ones."""
        if cmd_name not in self.commands:
            for name in [cmd_name] if cmd_name in self.LAZY else sorted(self.LAZY):
                if name not in self.commands:
                    module, _, attr = self.LAZY[name].partition(":")
                    self.add_command(getattr(import_module(module), attr), name)
        return self.commands.get(cmd_name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
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
