-- IF NOT EXISTS and main. in the index's DDL.
CREATE TABLE t (a INT);
CREATE INDEX ix_a ON t (a);
