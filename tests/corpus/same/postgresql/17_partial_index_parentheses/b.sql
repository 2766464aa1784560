CREATE TABLE t (a int, done boolean);
CREATE INDEX ix_open ON t (a) WHERE (NOT (done));
