-- The check uses a column the env lacks.
CREATE TABLE t (id int PRIMARY KEY, lo int, hi int, CONSTRAINT ck_range CHECK (lo <= hi));
