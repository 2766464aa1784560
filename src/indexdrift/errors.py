"""Errors a user can act on: each renders as one line, never a traceback."""

from __future__ import annotations


class IndexDriftError(Exception):
    """Base class: bad usage or input; the CLI prints the message and exits 2."""


class InputError(IndexDriftError):
    """A problem in an input file, located by file, line and column."""

    def __init__(self, path: str, message: str, line: int | None = None,
                 column: str | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column
        where = path if line is None else f"{path}:{line}"
        if column:
            where += f": column {column}"
        super().__init__(f"{where}: {message}")


class SourceError(IndexDriftError):
    """An environment could not be read (unreachable server, bad credentials...)."""

    def __init__(self, env: str, message: str) -> None:
        self.env = env
        super().__init__(f"env {env}: {message}")
