-- Two checks, one missing in the env, the other changed.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a INT, b INT,
  CONSTRAINT ck_a CHECK (a > 0), CONSTRAINT ck_b CHECK (b > a));
