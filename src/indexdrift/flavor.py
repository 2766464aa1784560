"""Server flavors and versions: every "does this server support X?" answered in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexdrift.errors import IndexDriftError

FLAVORS = ("mysql", "mariadb", "postgresql", "sqlite")
# A server version as every reader writes it (8.0.36, 10.11, 15.4): what parse_target reads.
VERSION_TEXT = re.compile(r"\d+(\.\d+){0,2}")


@dataclass(frozen=True, slots=True)
class Target:
    """The server a migration is written for."""

    flavor: str  # mysql, mariadb, postgresql, sqlite
    version: tuple[int, int, int]

    @property
    def label(self) -> str:
        """``mariadb 10.11.0`` style text for headers."""
        return f"{self.flavor} {'.'.join(map(str, self.version))}"

    def at_least(self, flavor: str, *version: int) -> bool:
        """True when this is ``flavor`` at ``version`` or newer."""
        return self.flavor == flavor and self.version >= tuple(version)

    @property
    def rename_index(self) -> bool:
        """``RENAME INDEX a TO b``: MySQL 5.7+, MariaDB 10.5.3+; PostgreSQL ``ALTER INDEX``."""
        return (self.at_least("mysql", 5, 7) or self.at_least("mariadb", 10, 5, 3)
                or self.flavor == "postgresql")

    @property
    def visibility(self) -> str | None:
        """How an index is hidden from the optimizer: INVISIBLE (MySQL 8), IGNORED (MariaDB
        10.6+), or None when the server has no such thing."""
        if self.at_least("mysql", 8):
            return "INVISIBLE"
        if self.at_least("mariadb", 10, 6):
            return "IGNORED"
        return None

    @property
    def descending(self) -> bool:
        """DESC key parts are stored (not parsed and ignored): MySQL 8, MariaDB 10.8+."""
        return self.at_least("mysql", 8) or self.at_least("mariadb", 10, 8)

    @property
    def functional(self) -> bool:
        """Functional key parts ``((expr))``: MySQL 8.0.13+ only."""
        return self.at_least("mysql", 8, 0, 13)


DEFAULTS = {"mysql": (8, 0, 36), "mariadb": (10, 11, 0), "postgresql": (15, 0, 0),
            "sqlite": (3, 40, 0)}


def parse_target(text: str) -> Target:
    """Parse ``mysql``, ``mysql:8.0.36`` or ``mariadb:10.11``."""
    flavor, _, version = text.strip().lower().partition(":")
    if flavor == "postgres":
        flavor = "postgresql"
    if flavor not in FLAVORS:
        raise IndexDriftError(f"unknown target {text!r}; use one of {', '.join(FLAVORS)} "
                              "with an optional :VERSION (e.g. mariadb:10.11)")
    if not version:
        return Target(flavor, DEFAULTS[flavor])
    if not VERSION_TEXT.fullmatch(version):
        raise IndexDriftError(f"bad version in target {text!r}")
    numbers = [int(n) for n in version.split(".")] + [0, 0]
    return Target(flavor, tuple(numbers[:3]))  # type: ignore[arg-type]


def target_of(flavor: str | None, version: str | None) -> Target | None:
    """The Target a snapshot describes, or None when its flavor is unknown."""
    if flavor is None:
        return None
    if version:
        return parse_target(f"{flavor}:{version}")
    return parse_target(flavor)


def parse_target_args(target_args, env_names) -> tuple[Target | None, dict[str, Target]]:
    """Split ``--target [ENV=]FLAVOR[:VERSION]`` values into a default and per-env targets."""
    default: Target | None = None
    per_env: dict[str, Target] = {}
    for arg in target_args:
        name, sep, value = arg.partition("=")
        if sep:
            if name not in env_names:
                raise IndexDriftError(f"--target {arg}: no env called {name}")
            per_env[name] = parse_target(value)
        else:
            default = parse_target(arg)
    return default, per_env
