-- The env has a check the baseline lacks.
CREATE TABLE t (id int PRIMARY KEY, qty int);
