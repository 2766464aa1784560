"""A report on standard output: the terminal table, or a rendered format's text or bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from indexdrift.compare.tables import Comparison
    from indexdrift.core.i18n import Catalog


def print_table(comparison: Comparison, catalog: Catalog, layout: str = "auto") -> None:
    """The terminal report on standard output (``layout``: auto, table or list)."""
    # lazy: rich and the renderers load when their format is asked for (start-up time)
    from rich.console import Console

    from indexdrift.report.render.terminal import print_report

    console = Console()
    if not console.is_terminal:
        # Piped output is read by people in pagers and logs: don't wrap it at 80.
        console = Console(width=200, highlight=False)
    print_report(comparison, catalog, console, layout)


def emit(text: str | bytes) -> None:
    """A rendered report on standard output."""
    if isinstance(text, bytes):
        click.get_binary_stream("stdout").write(text)
    else:
        click.echo(text, nl=False)
