"""Where ``indexdrift.toml`` is, and the ignore rules of a run without one: what every run
needs of the config apart from sources/config.py, which parses the file and is imported only
when there is one (start-up time)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from indexdrift.core.errors import InputError
from indexdrift.core.i18n import Message
from indexdrift.core.inputfile import check_regular

CONFIG_NAME = "indexdrift.toml"

# Shadow and leftover tables of online schema change tools: gh-ost (_t_gho ghost table,
# _t_ghc changelog, _t_del renamed original) and pt-online-schema-change (_t_new, _t_old).
DEFAULT_IGNORED_TABLES = ("_*_gho", "_*_ghc", "_*_del", "_*_new", "_*_old")


@dataclass(frozen=True, slots=True)
class IgnoreRules:
    """Glob patterns of tables and indexes that never count as drift."""

    tables: tuple[str, ...] = DEFAULT_IGNORED_TABLES
    indexes: tuple[str, ...] = ()


def find_config(explicit: str | None, cwd: str | Path | None = None) -> Path | None:
    """The config file to use: ``--config`` (must exist) or ./indexdrift.toml when present."""
    if explicit is not None:
        path = Path(explicit)
        check_regular(path, explicit)
        if not path.is_file():
            raise InputError(explicit, Message("error.config.no_file"))
        return path
    candidate = Path(cwd or ".") / CONFIG_NAME
    check_regular(candidate, str(candidate))  # present but a FIFO/directory: not ignored
    return candidate if candidate.is_file() else None
