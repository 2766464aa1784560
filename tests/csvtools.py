"""Build STATISTICS-shaped CSV text for tests, one key part per tuple."""

from __future__ import annotations

HEADER = ("TABLE_SCHEMA,TABLE_NAME,NON_UNIQUE,INDEX_NAME,SEQ_IN_INDEX,COLUMN_NAME,COLLATION,"
          "CARDINALITY,SUB_PART,INDEX_TYPE,INDEX_COMMENT")


def stats_csv(rows: list[tuple], schema: str = "shop", header: str = HEADER) -> str:
    """rows: (table, index, non_unique, seq, column, collation, sub_part, type, comment)."""
    lines = [header]
    for table, index, non_unique, seq, column, collation, sub_part, typ, comment in rows:
        lines.append(",".join(str(v) for v in (
            schema, table, non_unique, index, seq, column, collation, 17 * seq,
            "NULL" if sub_part is None else sub_part, typ, comment)))
    return "\n".join(lines) + "\n"


BASE = [
    ("users", "PRIMARY", 0, 1, "id", "A", None, "BTREE", ""),
    ("users", "uq_email", 0, 1, "email", "A", None, "BTREE", ""),
    ("users", "idx_tenant_code", 1, 1, "tenant_id", "A", None, "BTREE", ""),
    ("users", "idx_tenant_code", 1, 2, "code", "A", None, "BTREE", ""),
    ("orders", "PRIMARY", 0, 1, "id", "A", None, "BTREE", ""),
    ("orders", "idx_user_created", 1, 1, "user_id", "A", None, "BTREE", ""),
    ("orders", "idx_user_created", 1, 2, "created_at", "D", None, "BTREE", ""),
    ("orders", "idx_note", 1, 1, "note", "A", 20, "BTREE", "search"),
]
