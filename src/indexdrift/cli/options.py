"""The options several commands share (``--objects``, ``--columns-from``, ``--config``,
``--jobs``, the fleet counts, the timeouts, ``--scratch``, ``--allow-cross-flavor``, the
report options): only click, core and model constants here, so that defining the commands
(and ``indexdrift --help``) imports none of the readers, the compare, the planner or the
reports (start-up time: docs/performance.md, tests/test_startup.py).

An option's callback runs only when its command runs: what it needs beyond that is
imported there.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from indexdrift.core.errors import IndexDriftError, TextError
from indexdrift.core.i18n import available_languages
from indexdrift.core.limits import DEFAULT_JOBS, DEFAULT_TIMEOUTS, MAX_TIMEOUT
from indexdrift.model.kinds import OBJECTS

# GitHub refuses an issue or pull-request body above 65,536 characters.
GITHUB_BODY_LIMIT = 65536
DEFAULT_TOP = 20
# ctx.meta key of --allow-cross-flavor (read by cli.flavors.refuse_mixed_flavors).
ALLOW_CROSS_FLAVOR = "indexdrift.allow_cross_flavor"


def parse_objects(text: str) -> set[str]:
    """``indexes,columns`` → {"indexes", "columns"}; ``all`` is every object kind;
    unknown names are an error."""
    chosen = {part.strip().lower() for part in text.split(",") if part.strip()}
    if "all" in chosen:
        chosen = (chosen - {"all"}) | set(OBJECTS)
    unknown = chosen - set(OBJECTS)
    if unknown or not chosen:
        raise IndexDriftError(f"--objects {text}: use a comma-separated list of "
                              + ", ".join(OBJECTS) + ", or all")
    return chosen


def _store_objects(ctx, _param, value: str) -> str:
    ctx.meta["indexdrift.objects"] = parse_objects(value)
    return value


def parse_columns_from(values: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``ENV=FILE`` arguments → {env: file}; each env at most once."""
    files: dict[str, str] = {}
    for value in values:
        env, sep, path = value.partition("=")
        if not sep or not env.strip() or not path.strip():
            raise IndexDriftError(f"--columns-from {value}: write ENV=FILE "
                                  "(e.g. prd=columns_prd.csv)")
        if env.strip() in files:
            raise IndexDriftError(f"--columns-from: env {env.strip()} is given twice")
        files[env.strip()] = path.strip()
    return files


def _store_columns_from(ctx, _param, value: tuple[str, ...]) -> tuple[str, ...]:
    ctx.meta["indexdrift.columns_from"] = parse_columns_from(value)
    return value


def objects_option(func):
    """``--objects indexes[,columns]`` (columns off by default) and ``--columns-from
    ENV=FILE``; read by cli.columns (requested_columns, add_requested_objects)."""
    func = click.option("--columns-from", multiple=True, expose_value=False,
                        callback=_store_columns_from, metavar="ENV=FILE",
                        help="With --objects columns: read ENV's columns from FILE, an "
                             "information_schema.COLUMNS export or a PostgreSQL column CSV "
                             "(indexdrift export URL --objects columns); repeatable.")(func)
    return click.option("--objects", default="indexes", show_default=True, expose_value=False,
                        callback=_store_objects, metavar="KINDS",
                        help="What to compare, comma-separated: indexes, columns (live "
                             "sources, or files with --columns-from), foreign_keys, "
                             "checks, tables (existence and table options), or all.")(func)


def parse_target_counts(values: tuple[str, ...] | list[str], flag: str) -> dict[str, int]:
    """``--min-targets ENV=N`` / ``--expect-targets ENV=N`` values as ``{env: N}``."""
    counts: dict[str, int] = {}
    if not values:  # every run calls this; the config module loads only for a value
        return counts
    from indexdrift.sources.config import target_count  # lazy: start-up time

    for value in values:
        env, sep, number = value.partition("=")
        if not sep or not env.strip():
            raise click.BadParameter(f"{value!r} is not ENV=N", param_hint=flag)
        try:
            counts[env.strip()] = target_count(int(number) if number.strip().isdigit()
                                               else number, f"{flag} {env.strip()}")
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint=flag) from None
    return counts


def _counts_option(name: str, text: str) -> Callable:
    flag = "--" + name.replace("_", "-")
    return click.option(flag, name, multiple=True, metavar="ENV=N",
                        callback=lambda _ctx, _param, values: parse_target_counts(values, flag),
                        help=text + " (repeatable; overrides the env's " + name
                        + " in indexdrift.toml).")


def expected_counts(min_targets: dict[str, int], expect_targets: dict[str, int]
                    ) -> dict[str, dict[str, int]]:
    """The ``expected`` argument of run_comparison from the two options' values."""
    return {"min_targets": min_targets, "expect_targets": expect_targets}


def _store_timeout(_ctx, param, value: float | None) -> None:
    # Every run sets both (None: the default), so one in-process run never inherits
    # another's.
    from indexdrift.sources import set_timeout  # lazy: start-up time

    set_timeout(param.name, value)


def _store_scratch(_ctx, _param, value: str | None) -> None:
    # Every run sets it (None: none), so one in-process run never inherits another's.
    from indexdrift.sources.scratch_session import set_scratch  # lazy: start-up time

    set_scratch(value)
    set_scratch(None, origin="config")


def timeout_options(func: Callable) -> Callable:
    """``--connect-timeout`` and ``--read-timeout`` (seconds) for live sources, the
    defaults of every URL that does not set its own (sources.set_timeout), and
    ``--scratch URL``, where schema files are loaded (sources/scratch.py)."""
    func = click.option("--scratch", metavar="URL", expose_value=False,
                        callback=_store_scratch,
                        help="Scratch server .sql sources are loaded on, in a throw-away "
                             "schema (sqlite: for SQLite files).")(func)
    seconds = click.FloatRange(min=0, min_open=True, max=MAX_TIMEOUT)
    func = click.option("--read-timeout", type=seconds, metavar="SECONDS",
                        expose_value=False, callback=_store_timeout,
                        help=f"Seconds a live source may take to answer one query "
                             f"(default {DEFAULT_TIMEOUTS['read_timeout']:.0f}; a URL's "
                             "?read_timeout= wins).")(func)
    return click.option("--connect-timeout", type=seconds, metavar="SECONDS",
                        expose_value=False, callback=_store_timeout,
                        help=f"Seconds to wait for a live source's connection (default "
                             f"{DEFAULT_TIMEOUTS['connect_timeout']:.0f}; a URL's "
                             "?connect_timeout= wins).")(func)


def _store_cross_flavor(ctx, _param, value: bool) -> bool:
    ctx.meta[ALLOW_CROSS_FLAVOR] = value
    return value


def allow_cross_flavor_option(func):
    """``--allow-cross-flavor`` (stored for cli.flavors.refuse_mixed_flavors)."""
    return click.option("--allow-cross-flavor", is_flag=True, expose_value=False,
                        callback=_store_cross_flavor,
                        help="Compare envs of different database families (MySQL/MariaDB, "
                             "PostgreSQL, SQLite) on purpose; refused (exit 2) without "
                             "it.")(func)


def config_options(func: Callable) -> Callable:
    """``--config FILE``, ``--jobs N``, ``--min-targets ENV=N``, ``--expect-targets
    ENV=N`` and the timeouts, shared by compare, check and migrate."""
    func = timeout_options(func)
    func = _counts_option("expect_targets", "Fail (exit 2) unless fleet ENV has exactly N "
                          "targets")(func)
    func = _counts_option("min_targets", "Fail (exit 2) when fleet ENV has fewer than N "
                          "targets")(func)
    func = allow_cross_flavor_option(func)
    func = click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None,
                        help="Targets read at the same time (default: config, else "
                             f"{DEFAULT_JOBS}).")(func)
    return click.option("--config", "config_path", type=click.Path(dir_okay=False),
                        default=None,
                        help="indexdrift.toml to use (default: ./indexdrift.toml when "
                             "present).")(func)


def usage_from_option(func):
    """``--usage-from ENV`` and ``--no-usage``."""
    func = click.option("--no-usage", is_flag=True,
                        help="Don't read index usage counters from live sources.")(func)
    return click.option(
        "--usage-from", metavar="ENV",
        help="Take index usage evidence from ENV (e.g. prd) instead of the env being "
             "changed.")(func)


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
