"""The header's risk list: one line per statement of a script saying what it costs the
table online (metadata only, in place, table rebuild, blocks writes) and whether it loses
data, with the table's size when known; ``--explain`` gives the detail above each
statement. The levels are the explainer's (explain/online.py), read from the statement
exactly as written.
"""

from __future__ import annotations

from indexdrift.core.i18n import Catalog
from indexdrift.ddl.explain_comments import DIALECTS
from indexdrift.ddl.statement import human_size
from indexdrift.explain.describe import explain_statement
from indexdrift.explain.model import Explanation
from indexdrift.plan.notes import Note, localize

# Clauses that lose data whatever the server's algorithm.
_LOSES_DATA = ("explain.drop_column",)
_EXCERPT = 90


def statement_risk(explanation: Explanation) -> list[Note]:
    """The risk words of one statement: its online level, and data loss."""
    words: list[Note] = []
    if explanation.unsupported == "DROP" and explanation.sql.upper().startswith("DROP TABLE"):
        words.append(Note("migrate.risk.data_loss"))
    elif any(p.key in _LOSES_DATA for c in explanation.clauses for p in c.what):
        words.append(Note("migrate.risk.data_loss"))
    level = explanation.level if explanation.parsed else None
    if not (words and level is None):
        words.append(Note(f"migrate.risk.{level or 'unknown'}"))
    return words


def _what(explanation: Explanation, catalog: Catalog) -> str:
    """What the statement does in words (the explainer's first phrase of each clause),
    else its first two words (a statement the explainer does not describe)."""
    phrases = [catalog.t(c.what[0].key, **c.what[0].values)
               for c in explanation.clauses if c.what]
    text = "; ".join(phrases) if explanation.parsed and phrases else " ".join(
        explanation.sql.split()[:2])
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT else text[:_EXCERPT - 1] + "…"


def risk_lines(script, direction: str) -> list[str]:
    """The risk list of ``script`` (an EnvScript) in ``direction`` (``up`` / ``down``),
    in the script's language; none when it has no statement to assess."""
    dialect = DIALECTS.get(script.plan.target.flavor)
    tables = script.tables if direction == "up" else script.down_tables()
    statements = [s for t in tables for s in (t.up if direction == "up" else t.down)
                  if s.executable and not s.sql.startswith("SET ")]
    if dialect is None or not statements:
        return []
    sizes = {t.table: t.size_bytes for t in script.plan.tables if t.size_bytes is not None}
    lang = script.lang
    catalog = lang or Catalog("en")
    lines = [localize(Note("migrate.risk.heading"), lang)]
    for number, statement in enumerate(statements, 1):
        explanation = explain_statement(statement.sql, dialect)
        words = statement_risk(explanation)
        risk = ", ".join(localize(word, lang) for word in words)
        table = statement.table
        if table in sizes:
            table += f" ({human_size(sizes[table])})"
        lines.append(localize(Note("migrate.risk.line", number=number, risk=risk,
                                   table=table, what=_what(explanation, catalog)), lang))
    return lines
