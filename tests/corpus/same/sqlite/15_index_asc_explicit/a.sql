-- ASC written or left out.
CREATE TABLE t (a INT, b INT);
CREATE INDEX ix_ab ON t (a, b DESC);
