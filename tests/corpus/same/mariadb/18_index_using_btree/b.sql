CREATE TABLE t (a INT, b INT, c INT, KEY ix_a USING BTREE (a), KEY ix_b (b) USING BTREE, INDEX ix_c (c ASC));
