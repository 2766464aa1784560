"""``--allow-cross-flavor``: envs of different database families (MySQL/MariaDB,
PostgreSQL, SQLite) are one wrong URL away from thousands of false findings and DDL of the
wrong database, so a run refuses them (exit 2) unless the flag says it is meant. MySQL and
MariaDB are one family: what the target cannot express is held back as always.

An env's flavor is what its source says (a live server, a snapshot, a catalog CSV, the
columns of a STATISTICS export); one that cannot tell takes the flavor ``--target`` gives
it. A ``--target`` of another family than the env's own is refused the same way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from indexdrift.cli.options import ALLOW_CROSS_FLAVOR
from indexdrift.core import registry
from indexdrift.core.errors import IndexDriftError
from indexdrift.core.i18n import Catalog, default_language

if TYPE_CHECKING:  # only named here (the option itself is cli.options')
    from indexdrift.compare.tables import Comparison
    from indexdrift.core.target import Target


def _targets(target_args: tuple[str, ...], comparison: Comparison
             ) -> tuple[Target | None, dict[str, Target]]:
    """core.target.parse_target_args, loaded only when --target was given (start-up time)."""
    if not target_args:
        return None, {}
    from indexdrift.core.target import parse_target_args

    return parse_target_args(target_args, comparison.snapshots)


def family(flavor: str | None) -> str | None:
    """The database family of a flavor (mariadb -> mysql), None when unknown."""
    found = registry.of_flavor(flavor)
    return found.name if found is not None else None


def env_flavors(comparison: Comparison, target_args: tuple[str, ...] = ()
                ) -> dict[str, str | None]:
    """Each env's flavor: its source's, else the ``--target`` one, else None."""
    default, per_env = _targets(target_args, comparison)
    out: dict[str, str | None] = {}
    for env, snap in comparison.snapshots.items():
        given = per_env.get(env) or default
        out[env] = snap.flavor or (given.flavor if given is not None else None)
    return out


def mixed_families(comparison: Comparison, target_args: tuple[str, ...] = (),
                   catalog: Catalog | None = None) -> str | None:
    """The message refusing the run (None: one family, or flavors unknown)."""
    catalog = catalog or Catalog("en")
    flavors = env_flavors(comparison, target_args)
    families = {family(f) for f in flavors.values()} - {None}
    if len(families) > 1:
        envs = ", ".join(f"{env} ({flavor})" for env, flavor in flavors.items() if flavor)
        return catalog.t("error.cross_flavor", envs=envs)
    default, per_env = _targets(target_args, comparison)
    for env, snap in comparison.snapshots.items():
        given = per_env.get(env) or default
        if (given is not None and snap.flavor is not None
                and family(given.flavor) != family(snap.flavor)):
            return catalog.t("error.cross_flavor_target", env=env, flavor=snap.flavor,
                             target=given.label)
    return None


def refuse_mixed_flavors(comparison: Comparison) -> None:
    """Raise (exit 2, one line in the run's language) when the envs mix database families
    and ``--allow-cross-flavor`` was not given (read from the running command)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or ctx.meta.get(ALLOW_CROSS_FLAVOR):
        return
    lang = ctx.params.get("lang") or default_language()
    target_args = tuple(ctx.params.get("target_args") or ())
    message = mixed_families(comparison, target_args, Catalog(lang))
    if message is not None:
        raise IndexDriftError(message)
