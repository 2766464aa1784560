"""``--format table|json`` of lint and plans: the names the report commands use (``text``,
the old name of ``table``, is still taken so that scripts keep working)."""

from __future__ import annotations

import click


class TextFormat(click.Choice):
    """``table`` or ``json``; ``text`` is read as ``table``."""

    def __init__(self) -> None:
        super().__init__(["table", "json"])

    def convert(self, value, param, ctx):
        """The chosen format, ``text`` taken as ``table``."""
        return super().convert("table" if value == "text" else value, param, ctx)


def format_option(func):
    """``--format table|json`` (default table)."""
    return click.option("--format", "fmt", type=TextFormat(), default="table",
                        show_default=True,
                        help="table: lines for people; json: one document for "
                             "scripts.")(func)
