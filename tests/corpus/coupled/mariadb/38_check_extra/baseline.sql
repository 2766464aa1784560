-- The env has a check the baseline lacks.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, qty INT);
