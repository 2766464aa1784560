"""Column findings in the shared reports: matrix rows, notes and JSON fields."""

from __future__ import annotations

from indexdrift.core import registry as dialects
from indexdrift.core.i18n import Catalog
from indexdrift.model.kinds import COLUMN_CHANGED, COLUMN_EXTRA, COLUMN_MISSING, COLUMN_MOVED
from indexdrift.model.tables import Column


def column_definition(col: Column) -> str:
    """The column's definition in its own database's SQL (its dialect's ``column_ddl``)."""
    return dialects.of_flavor(col.dialect).module("column_ddl").column_definition(col)


def moves_columns(col: Column) -> bool:
    """True when the column's database can move a column (MySQL ``AFTER``); PostgreSQL
    cannot, so its migrations hold a position change back."""
    return dialects.of_flavor(col.dialect).moves_columns


def column_cell(col: Column | None, catalog: Catalog) -> str:
    """A column's definition for a matrix cell (``—`` when absent)."""
    return column_definition(col) if col is not None else catalog.t("cell.absent")


def column_note(finding, baseline: str, catalog: Catalog) -> str:
    """The one-line note of a column finding."""
    env, name = finding.env, finding.column
    diff = finding.column_diff
    if finding.kind == COLUMN_MISSING:
        return catalog.t("note.column_missing", env=env, baseline=baseline, column=name)
    if finding.kind == COLUMN_EXTRA:
        return catalog.t("note.column_extra", env=env, column=name)
    changes = ", ".join(catalog.t(f"column_change.{c}") for c in finding.changes)
    # A database that cannot move a column (PostgreSQL) holds the position back.
    held = ("; " + catalog.t("note.column_position_held")
            if "position" in finding.changes and diff is not None and diff.current is not None
            and not moves_columns(diff.current) else "")
    if finding.kind == COLUMN_MOVED:
        after = diff.after_baseline if diff is not None else None
        if after is None:
            return catalog.t("note.column_moved_first", env=env, column=name) + held
        return catalog.t("note.column_moved", env=env, column=name, after=after) + held
    if finding.kind == COLUMN_CHANGED and "name" in finding.changes:
        # The new name is the news; "differs in name" would only repeat it.
        rest = ", ".join(catalog.t(f"column_change.{c}") for c in finding.changes
                         if c != "name")
        if not rest:
            return catalog.t("note.column_renamed_same", env=env, column=name,
                             name=diff.current.name) + held
        return catalog.t("note.column_renamed", env=env, column=name,
                         name=diff.current.name, changes=rest) + held
    return catalog.t("note.column_changed", env=env, column=name, changes=changes) + held


def column_json(col: Column | None) -> dict | None:
    """The structured definition of a column."""
    if col is None:
        return None
    return {"name": col.name, "position": col.position, "definition": column_definition(col),
            "type": col.column_type, "nullable": col.nullable, "default": col.default,
            "comment": col.comment, "charset": col.charset, "collation": col.collation,
            "auto_increment": col.auto_increment, "on_update": col.on_update,
            "generated": col.generated, "expression": col.expression,
            "identity": col.identity}


def finding_fields(finding) -> dict:
    """Extra JSON fields of a column finding."""
    diff = finding.column_diff
    return {"column": finding.column,
            "baseline_definition": column_definition(diff.baseline) if diff.baseline else None,
            "env_definition": column_definition(diff.current) if diff.current else None,
            "baseline_column": column_json(diff.baseline),
            "env_column": column_json(diff.current)}
