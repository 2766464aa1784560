-- ASC and NULLS LAST are the defaults; DESC implies NULLS FIRST.
CREATE TABLE t (a int, b int);
CREATE INDEX ix_ab ON t (a, b DESC);
