-- Table and index names in other case (SQLite compares them case-insensitively).
CREATE TABLE t (id INTEGER PRIMARY KEY, a INT);
CREATE INDEX ix_a ON t (a);
