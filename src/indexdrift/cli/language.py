"""The language a run says its errors and warnings in: ``--lang`` when given, else the
locale's."""

from __future__ import annotations

import sys

import click

from indexdrift.core.errors import one_line
from indexdrift.core.i18n import Catalog, available_languages, default_language, localize


def run_catalog(argv: list[str] | None = None) -> Catalog:
    """The catalog of this run's errors and warnings: the command's ``--lang`` when given
    (read from the command line: an error may come before or after click parsed it), else
    the locale's (default_language)."""
    args = sys.argv[1:] if argv is None else argv
    for number, arg in enumerate(args):
        value = None
        if arg == "--lang" and number + 1 < len(args):
            value = args[number + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value in available_languages():
            return Catalog(value)
    return Catalog(default_language())


def warn(text: object, env: str | None = None) -> None:
    """``warning: [env ENV: ]TEXT`` on standard error, in the run's language, one line
    (warnings quote snapshot files and config values: hostile text)."""
    catalog = run_catalog()
    message = localize(text, catalog)
    if env is not None:
        message = catalog.t("error.env", env=env, message=message)
    click.echo(one_line(catalog.t("cli.warning", message=message)), err=True)
