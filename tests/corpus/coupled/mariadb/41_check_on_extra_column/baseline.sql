-- The env's extra column has a check of its own and an index.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, lo INT);
