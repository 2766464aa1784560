-- ix_ab covers (a, b); the env has no b and its ix_ab is on (a) only.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a INT, b VARCHAR(20) NOT NULL DEFAULT '', KEY ix_ab (a, b));
