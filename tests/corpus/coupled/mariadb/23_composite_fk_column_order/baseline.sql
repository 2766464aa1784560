-- The composite key's columns are paired in another order (parent has both keys).
CREATE TABLE p (a INT NOT NULL, b INT NOT NULL, PRIMARY KEY (a, b), UNIQUE KEY uk_ba (b, a));
CREATE TABLE c (id INT NOT NULL PRIMARY KEY, x INT, y INT, KEY ix_xy (x, y),
  CONSTRAINT fk_p FOREIGN KEY (x, y) REFERENCES p (a, b));
