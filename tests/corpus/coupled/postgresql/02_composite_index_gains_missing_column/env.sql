CREATE TABLE t (id int PRIMARY KEY, a int);
CREATE INDEX ix_ab ON t (a);
