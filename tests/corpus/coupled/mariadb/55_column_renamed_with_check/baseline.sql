-- A renamed column a check and an index use.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, amount INT, KEY ix_amount (amount),
  CONSTRAINT ck_amount CHECK (amount >= 0));
