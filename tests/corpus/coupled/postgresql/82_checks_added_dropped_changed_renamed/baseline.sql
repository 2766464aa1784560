-- Several checks on one table: one added, one dropped, one changed, one renamed.
CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int,
  CONSTRAINT ck_a CHECK (a > 0), CONSTRAINT ck_b CHECK (b > a), CONSTRAINT ck_c_new CHECK (c <> 0));
