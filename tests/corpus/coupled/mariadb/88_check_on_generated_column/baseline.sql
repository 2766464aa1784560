-- A check on a generated column that the env lacks, with its index.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a INT, b INT, s INT AS (a + b) VIRTUAL, KEY ix_s (s),
  CONSTRAINT ck_s CHECK (s < 100));
