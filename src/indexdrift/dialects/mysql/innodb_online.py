"""InnoDB online DDL for index changes, written once: ``dialects/mysql/ddl.online_clause``
(the ALGORITHM/LOCK a generated statement may promise) and ``explain/online.py`` (what a
clause of any script costs, through the registry's ``online_rules``) both read these rules.

Source: MySQL 8.0 Reference Manual 15.12.1 "Online DDL Operations" (index operations) and
MariaDB "InnoDB Online DDL Operations with the INPLACE Alter Algorithm"; what migrate
promises from them is in docs/migrations.md ("Online DDL").
"""

from __future__ import annotations

ONLINE_ENGINES = ("INNODB",)
# InnoDB adds one FULLTEXT index per in-place statement.
FULLTEXT_PER_STATEMENT = 1
# Index kinds whose in-place build blocks writes (LOCK=SHARED) instead of none.
SHARED_LOCK_KINDS = ("FULLTEXT", "SPATIAL")


def add_index_lock(kind: str | None) -> str:
    """The lock an in-place ADD INDEX of ``kind`` takes: ``SHARED`` (FULLTEXT, SPATIAL:
    writes wait) or ``NONE``."""
    return "SHARED" if kind in SHARED_LOCK_KINDS else "NONE"


def drop_primary_key_copies(adds_primary: bool) -> bool:
    """True when DROP PRIMARY KEY copies the table: alone it must (the rows need a new
    clustered index); together with ADD PRIMARY KEY it is an in-place rebuild."""
    return not adds_primary
