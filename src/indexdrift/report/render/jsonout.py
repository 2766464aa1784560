"""JSON output: the fixed shape other tools read (names in ``findings`` never change)."""

from __future__ import annotations

import json

from indexdrift import __version__
from indexdrift.compare.tables import RENAMED, Comparison, Finding
from indexdrift.core.i18n import Catalog
from indexdrift.model.tables import Index
from indexdrift.report.columns import finding_fields
from indexdrift.report.lint import advisory_json
from indexdrift.report.matrix import action_for, note_for, tables_compared
from indexdrift.report.objects import OBJECT_WORDS, is_constraint
from indexdrift.report.objects import finding_fields as constraint_fields
from indexdrift.report.render.fleetinfo import fleets_json

SCHEMA_VERSION = 1


def index_json(index: Index | None) -> dict | None:
    """The structured definition of an index."""
    if index is None:
        return None
    return {
        "name": index.name,
        "definition": index.definition(),
        "primary": index.primary,
        "unique": index.unique,
        "type": index.index_type,
        "comment": index.comment,
        "visible": index.visible,
        "parts": [
            {"column": p.column, "expression": p.expression, "sub_part": p.sub_part,
             "descending": p.descending}
            for p in index.parts
        ],
    }


def finding_json(f: Finding, baseline: str, catalog: Catalog, tables: bool = False) -> dict:
    """One finding in the documented JSON shape (``tables``: --objects compares tables, so
    a whole table's action is CREATE or DROP, not REVIEW)."""
    item = {
        "env": f.env,
        "schema": f.schema,
        "table": f.table,
        "index": f.index,
        "kind": f.kind,
        # Added in schema_version 1 with the foreign-key, check and option kinds.
        "object_kind": OBJECT_WORDS[f.object_kind],
        "baseline_definition": f.baseline.definition() if f.baseline else None,
        "env_definition": f.current.definition() if f.current else None,
        "changes": [c for c in f.changes],
        "action": action_for(f, tables),
        "note": note_for(f, baseline, catalog, tables),
        "waived": f.waived,
    }
    if f.kind == RENAMED:
        item["env_index"] = f.env_index_name
    if f.column is not None:
        item.update(finding_fields(f))
    if is_constraint(f):
        item.update(constraint_fields(f, catalog))
    item["baseline_index"] = index_json(f.baseline)
    item["env_index_detail"] = index_json(f.current)
    item["usage"] = f.usage.as_json() if f.usage is not None else None
    if f.baseline_usage is not None:
        item["baseline_usage"] = f.baseline_usage.as_json()
    return item


def comparison_json(comparison: Comparison, catalog: Catalog, *,
                    findings: bool = True) -> dict:
    """The whole comparison as a JSON-ready dict (``findings`` False: an empty list in
    their place, for render_json to fill)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": f"indexdrift {__version__}",
        "baseline": comparison.baseline,
        "envs": comparison.envs,
        "sources": {
            name: {"source": snap.source, "schema": snap.schema, "flavor": snap.flavor,
                   "version": snap.version, "tables": len(snap.tables),
                   "indexes": snap.index_count(), "warnings": snap.warnings}
            for name, snap in comparison.snapshots.items()
        },
        "findings": [finding_json(f, comparison.baseline, catalog,
                                  tables_compared(comparison))
                     for f in (comparison.findings if findings else ())],
        # A run with unreadable fleet targets: the findings cover only the targets read.
        "incomplete": bool(comparison.incomplete),
        "failed": [{"env": env, "error": cause} for env, cause in comparison.incomplete.items()],
        # Per fleet env, how many targets it had: a pattern sees only what the account can.
        "fleets": fleets_json(comparison),
        "advisories": {env: [advisory_json(a) for a in items]
                       for env, items in comparison.advisories.items()},
    }


_EMPTY_FINDINGS = '\n  "findings": [],\n'


def render_json(comparison: Comparison, catalog: Catalog) -> str:
    """Render the comparison as pretty-printed JSON.

    The findings are encoded one at a time, each indented as ``json.dumps`` indents the
    list's items: the text is the same, but the dicts of only one finding are alive at
    once rather than those of all (a fleet's findings are most of a run's memory).
    """
    text = json.dumps(comparison_json(comparison, catalog, findings=False),
                      ensure_ascii=False, indent=2) + "\n"
    if not comparison.findings:
        return text
    # The empty list's line cannot come from a value: strings never hold a raw newline.
    head, sep, tail = text.partition(_EMPTY_FINDINGS)
    assert sep, "the findings list is a top-level member"
    baseline, tables = comparison.baseline, tables_compared(comparison)
    items = ("    " + json.dumps(finding_json(f, baseline, catalog, tables),
                                 ensure_ascii=False, indent=2).replace("\n", "\n    ")
             for f in comparison.findings)
    return "".join((head, '\n  "findings": [\n', ",\n".join(items), "\n  ],\n", tail))
