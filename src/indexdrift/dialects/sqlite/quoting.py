"""SQLite identifier quoting and the CREATE INDEX text, shared by the DDL modules."""

from __future__ import annotations

from indexdrift.model.tables import Index, KeyPart


def quote_ident(name: str) -> str:
    """A double-quoted identifier, embedded double quotes doubled."""
    return '"' + name.replace('"', '""') + '"'


def key_part_sql(part: KeyPart) -> str:
    """``"col" COLLATE NOCASE DESC`` or ``(expr)``."""
    text = quote_ident(part.column) if part.column is not None else f"({part.expression})"
    if part.collation:
        text += f" COLLATE {part.collation}"
    if part.descending:
        text += " DESC"
    return text


def create_index_sql(index: Index) -> str:
    """``CREATE [UNIQUE] INDEX "n" ON "t" (...) [WHERE ...];``."""
    kind = "UNIQUE INDEX" if index.unique else "INDEX"
    text = (f"CREATE {kind} {quote_ident(index.name)} ON {quote_ident(index.table)} ("
            + ", ".join(key_part_sql(p) for p in index.parts) + ")")
    if index.predicate:
        text += f" WHERE {index.predicate}"
    return text + ";"
