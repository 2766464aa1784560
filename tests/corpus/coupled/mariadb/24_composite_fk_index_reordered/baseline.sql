-- The composite key stays; the index serving it is (x, y) in the baseline, (y, x) in the env.
CREATE TABLE p (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b));
CREATE TABLE c (id INT NOT NULL PRIMARY KEY, x INT, y INT, KEY ix_c (x, y),
  CONSTRAINT fk_p FOREIGN KEY (x, y) REFERENCES p (a, b));
