-- UNLOGGED in the env only.
CREATE TABLE t (id int PRIMARY KEY, v int);
CREATE INDEX ix_v ON t (v);
