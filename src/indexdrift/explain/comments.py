"""Explanations as SQL comment lines above the statements of a generated migration
(``migrate --explain``).

A fixed heading line comes first; every line after it starts with ``| `` after the
comment marker. That keeps the lines from ever reading as a Liquibase formatted-SQL
directive (``--changeset``, ``--rollback``, ``--comment:``, ``--preconditions`` … all match
``--`` plus optional whitespace plus the word), whatever the explanation's first word is
in any language.
"""

from __future__ import annotations

from indexdrift.explain.describe import explain_text
from indexdrift.explain.parser import MYSQL, POSTGRES
from indexdrift.explain.render import explanation_lines
from indexdrift.i18n import Catalog

MARK = "| "

# Target flavors → the explainer's dialect; flavors not listed are not explained.
DIALECTS = {"mysql": MYSQL, "mariadb": MYSQL, "postgresql": POSTGRES}


def comment_lines(sql: str, flavor: str, catalog: Catalog) -> list[str]:
    """The explanation of one migration statement as comment texts (without ``-- ``).

    A statement the parser cannot read gets a line saying so (never a guess); a flavor
    the explainer does not know gets a line saying that.
    """
    heading = catalog.t("explain.comment_heading")
    dialect = DIALECTS.get(flavor)
    if dialect is None:
        return [heading, MARK + catalog.t("explain.no_dialect", flavor=flavor)]
    items = explain_text(sql, dialect)
    if not items:
        return []
    lines = [heading]
    for item in items:
        if len(items) > 1:
            lines.append(MARK + item.sql.splitlines()[0])
        lines.extend(MARK + line for line in explanation_lines(item, catalog))
    return [line.rstrip() for line in lines]
