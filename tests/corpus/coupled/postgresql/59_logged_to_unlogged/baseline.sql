-- UNLOGGED in the baseline only.
CREATE UNLOGGED TABLE t (id int PRIMARY KEY, v int);
