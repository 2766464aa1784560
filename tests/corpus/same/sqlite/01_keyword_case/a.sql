-- Keywords in upper case and in lower case.
CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL DEFAULT 'x');
CREATE INDEX ix_v ON t (v);
