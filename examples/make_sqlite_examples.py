"""Rebuild the SQLite example files shop_prd.sqlite and shop_dev.sqlite (no server needed).

    python examples/make_sqlite_examples.py            # writes next to this script
    indexdrift compare examples/shop_prd.sqlite examples/shop_dev.sqlite
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

TABLES = """
CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, "회원명" TEXT,
                        created_at TEXT, UNIQUE (email));
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers (id),
                     status TEXT, total REAL, created_at TEXT);
CREATE TABLE order_items (order_id INTEGER, line INTEGER, sku TEXT, qty INTEGER,
                          PRIMARY KEY (order_id, line)) WITHOUT ROWID;
"""

PRD = TABLES + """
CREATE INDEX idx_orders_customer ON orders (customer_id, created_at DESC);
CREATE INDEX idx_orders_open ON orders (created_at) WHERE status = 'open';
CREATE INDEX idx_customers_email_lower ON customers (lower(email));
CREATE INDEX "idx_회원명" ON customers ("회원명" COLLATE NOCASE);
CREATE INDEX idx_items_sku ON order_items (sku);
"""

DEV = TABLES + """
CREATE INDEX idx_orders_customer ON orders (customer_id, created_at);
CREATE INDEX idx_orders_open ON orders (created_at);
CREATE INDEX "idx_회원명" ON customers ("회원명" COLLATE NOCASE);
CREATE INDEX items_by_sku ON order_items (sku);
CREATE INDEX idx_orders_total ON orders (total);
"""


def build(path: Path, sql: str) -> None:
    """Write a fresh database file from ``sql``."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path)
    try:
        conn.executescript(sql)
    finally:
        conn.close()


def main(directory: str | None = None) -> None:
    """Build both example files in ``directory`` (default: this script's folder)."""
    where = Path(directory) if directory else Path(__file__).parent
    build(where / "shop_prd.sqlite", PRD)
    build(where / "shop_dev.sqlite", DEV)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
