-- A partial index's predicate with other spacing and case.
CREATE TABLE t (a INT, done INT);
CREATE INDEX ix_open ON t (a) WHERE done = 0;
