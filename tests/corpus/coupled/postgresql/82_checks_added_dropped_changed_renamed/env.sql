CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int,
  CONSTRAINT ck_b CHECK (b >= a), CONSTRAINT ck_c CHECK (c <> 0), CONSTRAINT ck_old CHECK (a < 100));
