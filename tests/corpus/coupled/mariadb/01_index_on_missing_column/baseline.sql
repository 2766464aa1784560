-- The env lacks column b and the index on it.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a INT, b INT, c INT, KEY ix_b (b));
