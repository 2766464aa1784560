"""Errors a user can act on: each renders as one line, never a traceback."""

from __future__ import annotations

from indexdrift.core.i18n import Catalog, Message, localize


def one_line(text: str) -> str:
    """``text`` with line breaks, control and other unprintable characters (lone surrogates
    too) written as escapes: a value quoted from hostile input can neither start a line of
    its own in the error output nor drive the terminal."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


class IndexDriftError(Exception):
    """Base class: bad usage or input; the CLI prints the message and exits 2.

    The message is made one printable line here, whatever the raising code quoted into it.
    A ``Message`` (a catalog text) is kept as ``message`` too, so the CLI can say it in the
    run's language (``said_in``).
    """

    def __init__(self, *args: object) -> None:
        self.message = args[0] if args and isinstance(args[0], Message) else None
        super().__init__(*(one_line(a) if isinstance(a, str) else a for a in args))

    def said_in(self, catalog: Catalog | None) -> str:
        """The message in the catalog's language (a catalog text), else as raised."""
        if self.message is None or catalog is None:
            return str(self)
        return one_line(localize(self.message, catalog))


class InputError(IndexDriftError):
    """A problem in an input file, located by file, line and column."""

    def __init__(self, path: str, message: str, line: int | None = None,
                 column: str | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column
        where = path if line is None else f"{path}:{line}"
        if column:
            super().__init__(Message("error.input_column", where=where, column=column,
                                     message=message))
        else:
            super().__init__(Message("error.input", where=where, message=message))


class SourceError(IndexDriftError):
    """An environment could not be read (unreachable server, bad credentials...)."""

    def __init__(self, env: str, message: str) -> None:
        self.env = env
        self.detail = one_line(message)  # the message without the ``env NAME:`` prefix
        super().__init__(Message("error.env", env=env, message=message))


def cause_of(exc: BaseException, env: str) -> str:
    """The text of ``exc`` for a line that already names ``env`` (``edge.dead: cannot
    connect...``, not ``edge.dead: env edge.dead: cannot connect...``)."""
    if isinstance(exc, SourceError) and exc.env == env:
        return exc.detail
    return str(exc)


class TextError(IndexDriftError):
    """An error whose text is a catalog entry (``key`` with ``values``): the CLI prints it
    in the run's language; ``str()`` is the English text."""

    def __init__(self, key: str, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(Message(key, **values))

    def text(self, catalog: Catalog) -> str:
        """The message in ``catalog``'s language, one line."""
        return self.said_in(catalog)


class NoTablesInput(InputError):
    """An input file that holds no tables (the export of an empty schema, or of an account
    that sees none). ``snapshot`` is what it read: a run that compares tables (``--objects
    tables``) takes that instead of the error (sources.open_source)."""

    def __init__(self, path: str, message: str, snapshot: object) -> None:
        super().__init__(path, message)
        self.snapshot = snapshot


class NoTablesSource(SourceError):
    """A live schema that shows no tables (empty, or a weaker account); ``snapshot`` as
    for NoTablesInput."""

    def __init__(self, env: str, message: str, snapshot: object) -> None:
        super().__init__(env, message)
        self.snapshot = snapshot


# The errors of a source without tables (see NoTablesInput).
NO_TABLES_ERRORS = (NoTablesInput, NoTablesSource)
