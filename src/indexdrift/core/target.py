"""Server flavors and versions: every "does this server support X?" answered in one place."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexdrift.core import registry as dialects
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Message

FLAVORS = dialects.FLAVORS  # mysql, mariadb, postgresql, sqlite: the registry's
# A server version as every reader writes it (8.0.36, 10.11, 15.4): what parse_target reads.
VERSION_TEXT = re.compile(r"\d+(\.\d+){0,2}")


@dataclass(frozen=True, slots=True)
class Target:
    """The server a migration is written for. Its capabilities answer every "does this
    server support X?" from its dialect's registered facts (dialects.Dialect.features)."""

    flavor: str  # mysql, mariadb, postgresql, sqlite
    version: tuple[int, int, int]

    @property
    def label(self) -> str:
        """``mariadb 10.11.0`` style text for headers."""
        return f"{self.flavor} {'.'.join(map(str, self.version))}"

    @property
    def dialect(self) -> dialects.Dialect:
        """The registered family of this flavor (mariadb -> mysql)."""
        return dialects.of_flavor(self.flavor)  # type: ignore[return-value]

    def at_least(self, flavor: str, *version: int) -> bool:
        """True when this is ``flavor`` at ``version`` or newer."""
        return self.flavor == flavor and self.version >= tuple(version)

    def _has(self, feature: str) -> bool:
        return any(name == feature and self.at_least(flavor, *since)
                   for name, flavor, since in self.dialect.features)

    @property
    def rename_index(self) -> bool:
        """``RENAME INDEX a TO b``: MySQL 5.7+, MariaDB 10.5.3+; PostgreSQL ``ALTER INDEX``."""
        return self._has("rename_index")

    @property
    def visibility(self) -> str | None:
        """How an index is hidden from the optimizer: INVISIBLE (MySQL 8), IGNORED (MariaDB
        10.6+), or None when the server has no such thing."""
        for flavor, since, word in self.dialect.hiding:
            if self.at_least(flavor, *since):
                return word
        return None

    @property
    def invisible_indexes(self) -> bool:
        """True when an index can be hidden from the optimizer (``visibility``)."""
        return self.visibility is not None

    @property
    def descending(self) -> bool:
        """DESC key parts are stored (not parsed and ignored): MySQL 8, MariaDB 10.8+."""
        return self._has("descending")

    @property
    def functional(self) -> bool:
        """Functional key parts ``((expr))``: MySQL 8.0.13+ only."""
        return self._has("functional")

    @property
    def set_generated_expression(self) -> bool:
        """``ALTER COLUMN … SET EXPRESSION`` on a generated column: PostgreSQL 17+."""
        return self._has("set_generated_expression")

    @property
    def versioned_index_features(self) -> bool:
        """True when functional/DESC parts and hidden indexes depend on the server version
        (MySQL/MariaDB): a migration checks them against ``functional``, ``descending``,
        ``visibility``."""
        return self.dialect.versioned_index_features

    @property
    def fixed_constraint_indexes(self) -> bool:
        """True when a constraint's own index can be neither created nor dropped (SQLite)."""
        return self.dialect.fixed_constraint_indexes

    @property
    def foreign_keys_need_index(self) -> bool:
        """True when a foreign key needs an index leading with its columns on the child
        table (InnoDB)."""
        return self.dialect.foreign_keys_need_index

    @property
    def foreign_key_columns_fixed(self) -> bool:
        """True when the type, character set or collation of a column a foreign key uses
        (child or parent side) cannot change while the key exists (InnoDB)."""
        return self.dialect.foreign_key_columns_fixed

    @property
    def rename_constraint(self) -> bool:
        """``ALTER TABLE … RENAME CONSTRAINT`` for foreign keys and checks: PostgreSQL
        (MySQL and MariaDB drop and add)."""
        return self._has("rename_constraint")

    @property
    def checks(self) -> bool:
        """CHECK constraints are enforced (MySQL 8.0.16+, MariaDB 10.2.1+, PostgreSQL;
        older MySQL-family servers parse and ignore them)."""
        return self._has("checks")

    @property
    def not_enforced_checks(self) -> bool:
        """``CHECK (…) NOT ENFORCED``: MySQL 8.0.16+, PostgreSQL 18+."""
        return self._has("not_enforced_checks")

    @property
    def constraint_options(self) -> bool:
        """Foreign keys ``DEFERRABLE``, ``MATCH FULL``/``PARTIAL``, ``NOT VALID`` and checks
        ``NOT VALID``, ``NO INHERIT``: PostgreSQL."""
        return self._has("constraint_options")

    @property
    def constraints_need_rebuild(self) -> bool:
        """True when foreign keys, checks and table options change only by rebuilding the
        table (SQLite's ALTER TABLE cannot)."""
        return self.dialect.constraints_need_rebuild

    @property
    def parent_key(self) -> str:
        """What a foreign key needs of its parent: ``leading`` (an index whose first columns
        are the referenced ones: InnoDB) or ``unique`` (a unique key on exactly them)."""
        return "leading" if self.foreign_keys_need_index else "unique"

    @property
    def foreign_keys_rebind(self) -> bool:
        """True when a foreign key uses whichever index fits when checked (SQLite)."""
        return self.dialect.foreign_keys_rebind


def parse_target(text: str) -> Target:
    """Parse ``mysql``, ``mysql:8.0.36`` or ``mariadb:10.11`` (``postgres`` is
    ``postgresql``)."""
    typed, _, version = text.strip().lower().partition(":")
    flavor = dialects.parse_flavor(typed)
    if flavor is None:
        raise IndexDriftError(Message("error.target_unknown", target=repr(text),
                                      flavors=", ".join(FLAVORS)))
    if not version:
        family = dialects.of_flavor(flavor)
        return Target(flavor, family.default_versions[family.flavors.index(flavor)])
    if not VERSION_TEXT.fullmatch(version):
        raise IndexDriftError(Message("error.target_version", target=repr(text)))
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
                raise IndexDriftError(Message("error.target_env", arg=arg, env=name))
            per_env[name] = parse_target(value)
        else:
            default = parse_target(arg)
    return default, per_env
