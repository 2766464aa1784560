-- KEY, INDEX and CREATE INDEX for the same index.
CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, KEY ix_a (a), KEY ix_b (b));
