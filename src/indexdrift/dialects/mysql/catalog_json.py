"""The catalog query's rows shaped by the server: a few large JSON arrays.

PyMySQL decodes every field of a result in pure Python; a schema of 2,000 tables is ~15,000
catalog rows of 12 fields each. Folding the rows into ``GROUPS`` values of
``JSON_ARRAYAGG(JSON_ARRAY(...))`` (the tables spread over them by a hash of the name) lets
the client decode a few dozen values and ``json.loads`` (C) the rest, for the very same
rows: strings stay strings, integers integers, NULL None. Measured on 2,000 and 10,000
tables: the same server time as the plain query (as fast as one value for the schema, and
no value near ``max_allowed_packet`` however large the schema), ~0.01 s of client CPU
instead of ~0.08 s per 15,000 rows; docs/performance.md.

Only MariaDB 10.5+ (where JSON_ARRAYAGG exists) takes this path. MySQL keeps the row
path: its JSON_ARRAY writes binary-collated values as ``base64:type…`` text, and some of
its information_schema columns are binary, so its rows would not come back the same.
A group that does not decode to as many rows as the server counted (a value cut by a
server limit) makes the reader run the plain query instead (read_rows).
"""

from __future__ import annotations

import json

# How many values the rows come in: each ~1/64 of the schema's rows, so even 100,000
# tables stay far below max_allowed_packet (16 MiB by default) per value.
GROUPS = 64
# The columns of every part of the catalog query (catalog.catalog_query: 12 each).
_COLUMNS = ("k", *(f"c{i}" for i in range(1, 12)))
# JSON_ARRAYAGG is GROUP_CONCAT inside, cut at group_concat_max_len (1 MiB by default):
# raised for this one statement only (SET STATEMENT ... FOR, MariaDB 10.1.2+).
_MAX_LEN = 4294967295


def aggregates(flavor: str, version: tuple[int, int, int]) -> bool:
    """True when this server gets the catalog query with its rows folded per table.

    Off for now: JSON_ARRAYAGG (and ROW_NUMBER() OVER () as a row number) does not keep
    the plain query's row order, and the order of a table's index rows is its indexes'
    place in SHOW CREATE TABLE, which a rollback that re-creates indexes must give back
    (tests/corpus/columns/mariadb/drop_column_with_index found it). The fold comes back
    once it carries an order the server guarantees.
    """
    return False


def aggregated_query(sql: str) -> str:
    """``sql`` (the UNION ALL catalog query) with its rows folded into at most ``GROUPS``
    JSON arrays: rows ``(group, row count, JSON)``; the parameters stay those of ``sql``.

    The first UNION part only names the columns (MariaDB has no derived column list); it
    yields no row. Each row inside a group carries its own kind and table name, so which
    rows share a group does not matter (rows without a table name form one more).
    """
    names = ", ".join(f"NULL AS {c}" for c in _COLUMNS)
    cols = ", ".join(_COLUMNS)
    return (f"SET STATEMENT group_concat_max_len = {_MAX_LEN} FOR "
            f"SELECT MOD(CRC32(c1), {GROUPS}) AS g, COUNT(*), "
            f"JSON_ARRAYAGG(JSON_ARRAY({cols})) FROM ("
            f"SELECT {names} FROM DUAL WHERE 1 = 0\nUNION ALL\n{sql}) AS catalog_rows "
            "GROUP BY g")


def unfold(groups: list[tuple]) -> list[list] | None:
    """The catalog rows of the folded groups, or None when a group is not the rows the
    server counted (cut short by a limit, or not JSON): the caller reads the rows then."""
    rows: list[list] = []
    loads = json.loads
    for _, count, text in groups:
        if text is None:
            return None
        if text.__class__ is not str:
            text = bytes(text).decode("utf-8")
        try:
            found = loads(text)
        except ValueError:
            return None
        if found.__class__ is not list or len(found) != count:
            return None
        rows.extend(found)
    return rows
