-- USING BTREE written before, after or not at all (InnoDB's only kind).
CREATE TABLE t (a INT, b INT, c INT, KEY ix_a (a), KEY ix_b (b), KEY ix_c (c));
