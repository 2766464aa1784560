"""Foreign-key, CHECK and table-option findings in the shared reports: row labels, cells,
actions, notes and JSON fields (report/columns.py does the same for columns).

A foreign key's cell is ``ForeignKey.definition()``, a check's ``CheckConstraint.definition()``,
a table's options ``name=value`` pairs; the row's label names the object (``foreign key
fk_a``, ``외래 키 fk_a``) so the matrix reads without the object column too.
"""

from __future__ import annotations

import re

from indexdrift.core.i18n import Catalog
from indexdrift.model.kinds import (
    CHECK_CHANGED,
    CHECK_EXTRA,
    CHECK_MISSING,
    CHECK_RENAMED,
    FOREIGN_KEY_CHANGED,
    FOREIGN_KEY_EXTRA,
    FOREIGN_KEY_MISSING,
    FOREIGN_KEY_RENAMED,
    OPTIONS_CHANGED,
    TABLE_EXTRA,
    TABLE_MISSING,
)
from indexdrift.model.tables import CheckConstraint, ForeignKey

# The action of each kind: what would make the env match the baseline.
ACTIONS = {FOREIGN_KEY_MISSING: "ADD", FOREIGN_KEY_EXTRA: "DROP", FOREIGN_KEY_CHANGED: "REBUILD",
           FOREIGN_KEY_RENAMED: "RENAME", CHECK_MISSING: "ADD", CHECK_EXTRA: "DROP",
           CHECK_CHANGED: "REBUILD", CHECK_RENAMED: "RENAME", OPTIONS_CHANGED: "CHANGE"}
EXTRA_KINDS = (FOREIGN_KEY_EXTRA, CHECK_EXTRA)
RENAMED_KINDS = (FOREIGN_KEY_RENAMED, CHECK_RENAMED)
# The object kinds a report names (the --objects words) in its object column and JSON.
OBJECT_WORDS = {"indexes": "index", "columns": "column", "foreign_keys": "foreign_key",
                "checks": "check", "tables": "table"}
# The catalog key prefix of a kind's change names (``fk_change.on_delete``...).
_CHANGE_KEYS = {"foreign_keys": "fk_change", "checks": "check_change", "tables": "option"}
# What Snapshot.objects must hold, on both sides, for a row's kind to have been compared.
READS = {"foreign_keys": "foreign_keys", "checks": "checks", "tables": "options"}
_BARE_VALUE = re.compile(r"[\w.\-]+")


def is_constraint(finding) -> bool:
    """True for the findings this module words (foreign keys, checks, table options)."""
    return finding.constraint is not None


def change_label(object_kind: str, change: str, catalog: Catalog) -> str:
    """A change name (``on_delete``, ``engine``...) in the catalog's language; the name
    itself when the catalog has no text for it (an option a newer reader compares)."""
    key = f"{_CHANGE_KEYS.get(object_kind, 'change')}.{change}"
    return catalog.t(key) if catalog.has(key) else change


def changes_text(finding, catalog: Catalog) -> str:
    """The finding's changes, but the name, as one list in the catalog's language."""
    return ", ".join(change_label(finding.object_kind, c, catalog) for c in finding.changes
                     if c != "name")


def option_value(value: str) -> str:
    """An option value as a cell shows it: bare when it is a word, else quoted SQL-style."""
    if _BARE_VALUE.fullmatch(value):
        return value
    return "'" + value.replace("'", "''") + "'"


def options_text(options: dict[str, str] | None, keys=None) -> str:
    """``engine=InnoDB, comment='orders'``: the options (of ``keys`` when given, in that
    order; else all) as one cell."""
    if not options:
        return ""
    names = [k for k in keys if k in options] if keys is not None else list(options)
    return ", ".join(f"{name}={option_value(options[name])}" for name in names)


def _object(finding, baseline: bool) -> ForeignKey | CheckConstraint | None:
    if finding.object_kind == "foreign_keys":
        return finding.baseline_fk if baseline else finding.current_fk
    return finding.baseline_check if baseline else finding.current_check


def row_label(finding, catalog: Catalog) -> str:
    """The matrix row's object name: ``foreign key fk_a``, ``check ck_a``, ``table options``."""
    if finding.kind == OPTIONS_CHANGED:
        return catalog.t("options.label")
    key = "foreign_key.label" if finding.object_kind == "foreign_keys" else "check.label"
    return catalog.t(key, name=finding.constraint)


def row_key(finding) -> str:
    """What a matrix row of this finding is keyed by within its table (name_key)."""
    if finding.kind == OPTIONS_CHANGED:
        return "\x00options"
    named = _object(finding, finding.kind not in EXTRA_KINDS)
    return f"\x00{finding.object_kind}:{named.name_key}"


def baseline_cell(finding, catalog: Catalog) -> str:
    """The baseline's definition (``—`` when it has none)."""
    if finding.kind == OPTIONS_CHANGED:
        table = finding.baseline_table
        return options_text(table.options if table else None) or catalog.t("cell.absent")
    found = _object(finding, True)
    return found.definition() if found is not None else catalog.t("cell.absent")


def env_cell(finding, catalog: Catalog) -> str:
    """The env's definition; a renamed object's with its name (``cell.named``)."""
    if finding.kind == OPTIONS_CHANGED:
        base = finding.baseline_table.options if finding.baseline_table else None
        mine = finding.env_table.options if finding.env_table else None
        # The options both sides know, in the baseline's order (only those are compared).
        return options_text(mine, list(base or ())) or catalog.t("cell.absent")
    found = _object(finding, False)
    if found is None:
        return catalog.t("cell.absent")
    if finding.kind in RENAMED_KINDS:
        return catalog.t("cell.named", name=found.name, definition=found.definition())
    return found.definition()


def note(finding, baseline: str, catalog: Catalog) -> str:
    """The one-line note of a foreign-key, CHECK or table-option finding."""
    env, name = finding.env, finding.constraint
    changes = changes_text(finding, catalog)
    if finding.kind == OPTIONS_CHANGED:
        return catalog.t("note.table_options_changed", env=env, changes=changes)
    if finding.kind in RENAMED_KINDS:
        new = _object(finding, False).name
        key = f"note.{finding.kind}" + ("_with" if changes else "")
        return catalog.t(key, env=env, name=name, new=new, changes=changes)
    return catalog.t(f"note.{finding.kind}", env=env, name=name, baseline=baseline,
                     changes=changes)


def foreign_key_json(fk: ForeignKey | None) -> dict | None:
    """The structured definition of a foreign key."""
    if fk is None:
        return None
    return {"name": fk.name, "definition": fk.definition(), "columns": list(fk.columns),
            "ref_schema": fk.ref_schema, "ref_table": fk.ref_table,
            "ref_columns": list(fk.ref_columns), "on_update": fk.on_update,
            "on_delete": fk.on_delete, "match": fk.match, "deferrable": fk.deferrable,
            "valid": fk.valid}


def check_json(check: CheckConstraint | None) -> dict | None:
    """The structured definition of a CHECK constraint."""
    if check is None:
        return None
    return {"name": check.name, "definition": check.definition(),
            "expression": check.expression, "column": check.column,
            "enforced": check.enforced, "valid": check.valid, "no_inherit": check.no_inherit}


def finding_fields(finding, catalog: Catalog) -> dict:
    """Extra JSON fields of a foreign-key, CHECK or table-option finding."""
    absent = catalog.t("cell.absent")
    base, mine = baseline_cell(finding, catalog), env_cell(finding, catalog)
    if finding.kind in RENAMED_KINDS:
        mine = _object(finding, False).definition()
    item: dict = {"constraint": finding.constraint or None,
                  "baseline_definition": None if base == absent else base,
                  "env_definition": None if mine == absent else mine}
    if finding.kind in RENAMED_KINDS:
        item["env_constraint"] = _object(finding, False).name
    if finding.object_kind == "foreign_keys":
        item["baseline_foreign_key"] = foreign_key_json(finding.baseline_fk)
        item["env_foreign_key"] = foreign_key_json(finding.current_fk)
    elif finding.object_kind == "checks":
        item["baseline_check"] = check_json(finding.baseline_check)
        item["env_check"] = check_json(finding.current_check)
    else:
        for side, table in (("baseline", finding.baseline_table), ("env", finding.env_table)):
            item[f"{side}_options"] = dict(table.options) if table and table.options else {}
    return item


def read_here(snapshots: dict, baseline: str, env: str, object_kind: str) -> bool:
    """True when both the baseline's and the env's sources read the row's kind."""
    need = READS.get(object_kind)
    return need is None or all(need in snapshots[name].objects for name in (baseline, env))


def is_table_finding(kind: str) -> bool:
    """A whole table missing or extra: in every run, never an object kind of its own."""
    return kind in (TABLE_MISSING, TABLE_EXTRA)
