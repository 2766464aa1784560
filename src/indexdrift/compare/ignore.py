"""Ignore rules: tables and indexes that never count as drift (shadow tables of gh-ost,
pt-online-schema-change, scratch indexes...). They are removed before comparing, so they
can neither show as drift nor end up in a migration."""

from __future__ import annotations

import re
from dataclasses import replace
from fnmatch import fnmatchcase, translate
from functools import lru_cache

from indexdrift.model.tables import Snapshot
from indexdrift.sources.configfile import IgnoreRules


@lru_cache(maxsize=64)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    """All patterns as one regex: one match per name instead of one per pattern."""
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{translate(p.lower())})" for p in patterns))


def _matches(name: str, patterns: tuple[str, ...]) -> bool:
    # Case-insensitive: index names are, and lower_case_table_names may fold tables.
    regex = _compiled(tuple(patterns))
    return regex is not None and regex.match(name.lower()) is not None


def ignored_table(name: str, rules: IgnoreRules) -> bool:
    """True when a table matches one of the ignored table patterns."""
    return _matches(name, rules.tables)


def ignored_index(table: str, index: str, rules: IgnoreRules) -> bool:
    """True when ``index`` (or ``table.index`` for patterns with a dot) is ignored."""
    for pattern in rules.indexes:
        subject = f"{table}.{index}" if "." in pattern else index
        if fnmatchcase(subject.lower(), pattern.lower()):
            return True
    return False


def apply_ignore(snapshot: Snapshot, rules: IgnoreRules) -> int:
    """Drop ignored tables and indexes from a snapshot in place (a table losing an index
    is replaced by a copy without it); return how many went."""
    dropped = 0
    regex = _compiled(tuple(rules.tables))
    if regex is not None:
        # ignored_table's test, the patterns compiled once for every table of the schema
        match = regex.match
        for name in [n for n in snapshot.tables if match(n.lower()) is not None]:
            del snapshot.tables[name]
            dropped += 1
    if rules.indexes:
        tables = snapshot.tables
        for name, table in list(tables.items()):
            kept = {k: ix for k, ix in table.indexes.items()
                    if not ignored_index(table.name, ix.name, rules)}
            if len(kept) != len(table.indexes):
                # A copy without them: the table object may be another env's too (a
                # reader's share, sources/tableshare.py), which must keep its indexes.
                dropped += len(table.indexes) - len(kept)
                tables[name] = replace(table, indexes=kept)
    return dropped
