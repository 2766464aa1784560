"""Explanations as text: a report for the terminal, or comment lines for a migration."""

from __future__ import annotations

from indexdrift.core.i18n import Catalog
from indexdrift.explain.model import Clause, Explanation, Phrase


def _phrase(p: Phrase, catalog: Catalog) -> str:
    return catalog.t(p.key, **p.values)


def clause_lines(clause: Clause, catalog: Catalog) -> list[str]:
    """What one clause does, its online-DDL level, and its notes."""
    lines = ["; ".join(_phrase(p, catalog) for p in clause.what)]
    if clause.level is not None:
        lines.append(catalog.t("explain.online", level=catalog.t(f"explain.level.{clause.level}")))
    lines.extend(_phrase(n, catalog) for n in clause.notes)
    return lines


def explanation_lines(item: Explanation, catalog: Catalog) -> list[str]:
    """The explanation of one statement without its SQL (for comments above it)."""
    if not item.parsed:
        return [catalog.t("explain.not_parsed", reason=item.error)]
    if item.unsupported:
        return [catalog.t("explain.unsupported", kind=item.unsupported)]
    lines: list[str] = []
    if item.table:
        lines.append(catalog.t("explain.table", table=item.table))
    many = len(item.clauses) > 1
    for clause in item.clauses:
        body = clause_lines(clause, catalog)
        if many:
            lines.append(f"- {clause.sql}")
            lines.extend(f"  {line}" for line in body)
        else:
            lines.extend(body)
    lines.extend(_phrase(n, catalog) for n in item.notes)
    if many and item.level is not None:
        lines.append(catalog.t("explain.overall",
                               level=catalog.t(f"explain.level.{item.level}")))
    return lines


def render_report(items: list[Explanation], catalog: Catalog) -> str:
    """Every statement with its SQL and its explanation, for the terminal."""
    if not items:
        return catalog.t("explain.empty") + "\n"
    blocks: list[str] = []
    for n, item in enumerate(items, 1):
        head = catalog.t("explain.heading", n=n, line=item.line, dialect=item.dialect)
        sql = "\n".join(f"    {line}" for line in item.sql.splitlines())
        body = "\n".join(f"  {line}" for line in explanation_lines(item, catalog))
        blocks.append(f"{head}\n{sql}\n{body}")
    not_parsed = sum(1 for i in items if not i.parsed)
    if not_parsed:
        blocks.append(catalog.t("explain.summary_not_parsed", count=not_parsed,
                                total=len(items)))
    return "\n\n".join(blocks) + "\n"
