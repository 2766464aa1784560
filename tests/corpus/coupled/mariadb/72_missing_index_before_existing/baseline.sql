-- The baseline's first secondary index is the one the env lacks (SHOW CREATE TABLE lists it last after the migration).
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a INT, b INT, KEY ix_a (a), KEY ix_b (b));
