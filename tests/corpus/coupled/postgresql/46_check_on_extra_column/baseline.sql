-- The env's extra column has a check and an index of its own.
CREATE TABLE t (id int PRIMARY KEY, lo int);
