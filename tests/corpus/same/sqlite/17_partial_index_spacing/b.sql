CREATE TABLE t (a INT, done INT);
CREATE INDEX ix_open ON t (a) where (done=0);
