-- The env's identity column is a plain key column in the baseline.
CREATE TABLE t (id int PRIMARY KEY, v int);
