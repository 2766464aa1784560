"""Where compare's and check's reports go: ``-o FILE`` (repeatable) and standard output.

One rule for both commands: a file's extension names its format (``.md``, ``.json``,
``.csv``, ``.html``, ``.xlsx``, ``.txt``); ``--format`` is the format of standard output
and of files whose name does not tell. A file whose format cannot be told, or whose
extension contradicts ``--format``, is refused before anything is read (exit 2): the
command does what it is told or says no.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from indexdrift.core.errors import TextError
from indexdrift.core.i18n import Catalog
from indexdrift.report.render import BINARY_FORMATS, FORMATS, extensions, format_from_path


def output_formats(outputs: tuple[str, ...], fmt: str | None) -> list[tuple[str, str]]:
    """Each ``-o`` path with the format it gets; a refusal (TextError) when one cannot be
    told or contradicts ``--format``."""
    chosen = []
    for path in outputs:
        named = format_from_path(path)
        if named is None and fmt is None:
            raise TextError("output.unknown_format", path=path,
                            extensions=", ".join(extensions()), formats=", ".join(FORMATS))
        if named == "table" and fmt == "list":
            named = "list"  # a .txt file holds either terminal layout
        if named is not None and fmt is not None and named != fmt:
            raise TextError("output.format_conflict", path=path, named=named, fmt=fmt)
        chosen.append((path, named or fmt))
    return chosen


def refuse_binary_stdout(fmt: str) -> None:
    """A binary format (xlsx) is never written to a terminal."""
    if fmt in BINARY_FORMATS and sys.stdout.isatty():
        raise TextError("output.binary_stdout", fmt=fmt)


def write_outputs(files: list[tuple[str, str]], render: Callable[[str], str | bytes],
                  catalog: Catalog) -> None:
    """Render and write each file atomically, saying ``wrote FILE`` on standard error."""
    from indexdrift.core.atomic import write_atomic  # lazy: tempfile, shutil (start-up time)

    for path, fmt in files:
        write_atomic(path, render(fmt))
        click.echo(catalog.t("output.wrote", path=path), err=True)


def full_reports(files: list[tuple[str, str]]) -> tuple[str, ...]:
    """The files of a run other than Markdown: what a cut or short Markdown report names
    as the full report."""
    return tuple(path for path, fmt in files if fmt != "md")
