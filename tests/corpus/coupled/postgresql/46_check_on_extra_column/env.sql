CREATE TABLE t (id int PRIMARY KEY, lo int, hi int, CONSTRAINT ck_range CHECK (lo <= hi));
CREATE INDEX ix_hi ON t (hi);
