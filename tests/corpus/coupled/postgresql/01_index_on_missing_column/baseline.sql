-- The env lacks column b (the table's last) and the index on it.
CREATE TABLE t (id int PRIMARY KEY, a int, b int);
CREATE INDEX ix_b ON t (b);
