"""Each env's migration and rollback text for reports, built by migrate.plan/migrate.script.

Reports show exactly what ``indexdrift migrate`` writes with its default options. Which
server the DDL is for comes from ``--target``, else from the env's own snapshot, else from
the baseline's; when none of them tells, the report says so instead of failing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from indexdrift.compare.tables import Comparison
from indexdrift.core.i18n import Catalog
from indexdrift.core.target import Target, parse_target_args, target_of
from indexdrift.ddl.script import EnvScript, build_script
from indexdrift.plan.planner import PlanOptions, plan_env
from indexdrift.report.render.summary import is_waived

# How an env's target was found (a key suffix of ``statements.target.*`` in the catalogs).
FROM_OPTION, FROM_ENV, FROM_BASELINE = "option", "env", "baseline"


@dataclass(slots=True)
class EnvStatements:
    """One env's migration (``up``) and rollback (``down``), or why there are none."""

    env: str
    target: Target | None
    target_from: str | None = None  # FROM_OPTION, FROM_ENV or FROM_BASELINE
    script: EnvScript | None = None

    @property
    def up(self) -> str:
        """The migration script text ('' when the target is unknown)."""
        if self.script is None:
            return ""
        return "\n".join(s.up_text() for s in _chain(self.script))

    @property
    def down(self) -> str:
        """The rollback script text ('' when the target is unknown)."""
        if self.script is None:
            return ""
        return "\n".join(s.down_text() for s in reversed(_chain(self.script)))


def _chain(script: EnvScript) -> list[EnvScript]:
    """A script and its staged second step, if any, in the order they are applied."""
    chain = [script]
    while chain[-1].later is not None:
        chain.append(chain[-1].later)
    return chain


def report_targets(comparison: Comparison,
                   target_args: tuple[str, ...] | list[str] = ()
                   ) -> dict[str, tuple[Target | None, str | None]]:
    """Each env's target and where it came from; ``(None, None)`` when nothing tells.

    ``target_args`` are ``--target [ENV=]FLAVOR[:VERSION]`` values; a bad one is an error.
    """
    default, per_env = parse_target_args(target_args, comparison.snapshots)
    base = comparison.snapshots[comparison.baseline]
    base_target = target_of(base.flavor, base.version)
    found: dict[str, tuple[Target | None, str | None]] = {}
    for env in comparison.envs:
        snap = comparison.snapshots.get(env)
        if snap is None:  # a fleet target that could not be read
            continue
        own = target_of(snap.flavor, snap.version)
        if env in per_env or default is not None:
            found[env] = (per_env.get(env) or default, FROM_OPTION)
        elif own is not None:
            found[env] = (own, FROM_ENV)
        elif base_target is not None:
            found[env] = (base_target, FROM_BASELINE)
        else:
            found[env] = (None, None)
    return found


def build_statements(comparison: Comparison,
                     target_args: tuple[str, ...] | list[str] = (),
                     options: PlanOptions | None = None,
                     lang: Catalog | None = None) -> dict[str, EnvStatements]:
    """Per env (report order), the statements ``indexdrift migrate`` would write; their
    comment lines in ``lang``'s language (the report's: ``migrate --lang``), the SQL as it
    is.

    Waived findings are left out, as ``migrate`` leaves them out.
    """
    # As migrate plans them: whole tables created and dropped when --objects compares them.
    options = options or PlanOptions(tables="tables" in comparison.objects)
    open_only = replace(comparison, findings=[f for f in comparison.findings
                                                 if not is_waived(f)])
    result: dict[str, EnvStatements] = {}
    for env, (target, source) in report_targets(comparison, target_args).items():
        entry = EnvStatements(env, target, source)
        if target is not None:
            entry.script = build_script(plan_env(open_only, env, target, options),
                                        open_only, options, lang=lang)
        result[env] = entry
    return result
