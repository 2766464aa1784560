"""Explanations as SQL comment lines above the statements of a generated migration
(``migrate --explain``).

A fixed heading line comes first; every line after it starts with ``| `` after the
comment marker, and so does every piece of a line that a name's line break cuts. That
keeps the lines from ever reading as a Liquibase formatted-SQL directive
(``--changeset``, ``--rollback``, ``--comment:``, ``--preconditions`` … all match ``--``
plus optional whitespace plus the word), whatever the explanation's first word is in
any language.
"""

from __future__ import annotations

from indexdrift.core import registry as dialects
from indexdrift.core.i18n import Catalog
from indexdrift.ddl.linecheck import split_lines
from indexdrift.explain.describe import explain_text
from indexdrift.explain.render import explanation_lines

MARK = "| "

# Target flavors → the explainer's dialect (the registry's); flavors not listed are not
# explained.
DIALECTS = {flavor: d.explain for d in dialects.DIALECTS if d.explain for flavor in d.flavors}

NO_TX_NOTE = "explain.note.pg_concurrently_no_tx"
# Layouts whose files already run CONCURRENTLY outside a transaction: their note says how
# instead of asking the reader to see to it.
NO_TX_LAYOUTS = ("flyway", "liquibase", "golang-migrate")


def say_how_no_tx(items: list, layout: str) -> None:
    """Swap the "run it outside the transaction" note for how ``layout`` does that."""
    key = f"{NO_TX_NOTE}.{layout}"
    for item in items:
        for phrase in [*item.notes, *(n for c in item.clauses for n in c.notes)]:
            if phrase.key == NO_TX_NOTE:
                phrase.key = key


def comment_lines(sql: str, flavor: str, catalog: Catalog, *,
                  outside_tx: str | None = None) -> list[str]:
    """The explanation of one migration statement as comment texts (without ``-- ``).

    A statement the parser cannot read gets a line saying so (never a guess); a flavor
    the explainer does not know gets a line saying that. ``outside_tx``: the layout (one
    of NO_TX_LAYOUTS) whose file already runs this statement outside a transaction.
    """
    heading = catalog.t("explain.comment_heading")
    dialect = DIALECTS.get(flavor)
    if dialect is None:
        return [heading, MARK + catalog.t("explain.no_dialect", flavor=flavor)]
    items = explain_text(sql, dialect)
    if not items:
        return []
    if outside_tx in NO_TX_LAYOUTS:
        say_how_no_tx(items, outside_tx)
    lines = [heading]
    for item in items:
        if len(items) > 1:
            lines.append(MARK + split_lines(item.sql)[0])
        lines.extend(MARK + line for line in explanation_lines(item, catalog))
    # A name with a line break puts one in an explanation line: every piece keeps the
    # mark, so none starts a line of its own in the file.
    return [(MARK + piece if k else piece).rstrip()
            for line in lines for k, piece in enumerate(split_lines(line) or [""])]
