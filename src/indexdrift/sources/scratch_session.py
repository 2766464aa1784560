"""What a database's scratch session (``dialects.*.scratch``) and the loader share: the
error of a statement the server refused, and the run's ``--scratch`` URL."""

from __future__ import annotations


class StatementFailed(Exception):
    """The scratch server refused a statement: its message (and SQLSTATE, when known)."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.sqlstate = sqlstate


# The run's scratch server: --scratch (origin "cli") wins over indexdrift.toml's scratch.
_SCRATCH: dict[str, str | None] = {}


def set_scratch(url: str | None, origin: str = "cli") -> None:
    """Name the run's scratch server (``origin``: ``cli`` or ``config``; None: none)."""
    _SCRATCH[origin] = url


def scratch_url() -> str | None:
    """The scratch server schema files are loaded on: ``--scratch``, else the config's."""
    return _SCRATCH.get("cli") or _SCRATCH.get("config")
