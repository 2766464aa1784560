-- A column in another position with an index and a check on it.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a INT, b INT, c INT, KEY ix_bc (b, c), CONSTRAINT ck_b CHECK (b > 0));
