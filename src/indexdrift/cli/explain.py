"""``indexdrift explain``: what DDL statements do, clause by clause, in plain language."""

from __future__ import annotations

import sys

import click

from indexdrift.core import registry as dialects
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Catalog, available_languages, default_language
from indexdrift.core.inputfile import read_input

EXIT_OK, EXIT_NOT_PARSED = 0, 1
# The explainer's dialects, in registry order (mysql, postgres): sqlglot's names.
EXPLAINED = list(dict.fromkeys(d.explain for d in dialects.DIALECTS if d.explain))


@click.command("explain")
@click.argument("statements", nargs=-1, metavar="[SQL]...")
@click.option("-f", "--file", "files", multiple=True, type=click.Path(dir_okay=False),
              help="Read statements from FILE (a script or a generated migration); '-' for stdin.")
@click.option("--dialect", type=click.Choice(["auto", *EXPLAINED]), default="auto",
              show_default=True,
              help="SQL dialect; auto: a migration's '-- target:' header, else MySQL/MariaDB "
                   "(CREATE/DROP INDEX CONCURRENTLY is always read as PostgreSQL).")
@click.option("--lang", type=click.Choice(available_languages()), default=None,
              help="Language (default: from LANG, Korean when it is ko_*).")
def explain_cmd(statements: tuple[str, ...], files: tuple[str, ...], dialect: str,
                lang: str | None) -> None:
    """Explain ALTER TABLE / CREATE INDEX / DROP INDEX statements clause by clause.

    Exit code 1 when any statement could not be parsed (it is reported, never guessed).

    \b
    Example:
      indexdrift explain -f migrations/dev.up.sql
    """
    # lazy: the explainer imports sqlglot, paid only when explain runs (start-up time)
    from indexdrift.explain import explain_text
    from indexdrift.explain.render import render_report

    if not statements and not files:
        raise click.UsageError('give a statement (indexdrift explain "ALTER TABLE ...") or -f FILE')
    texts: list[str] = list(statements)
    for name in files:
        texts.append(_read(name))
    chosen = None if dialect == "auto" else dialect
    items = [item for text in texts for item in explain_text(text, chosen)]
    catalog = Catalog(lang or default_language())
    click.echo(render_report(items, catalog), nl=False)
    sys.exit(EXIT_NOT_PARSED if any(not i.parsed for i in items) else EXIT_OK)


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        return read_input(name, name).decode("utf-8")
    except UnicodeDecodeError:
        raise IndexDriftError(f"{name}: not UTF-8 text") from None
