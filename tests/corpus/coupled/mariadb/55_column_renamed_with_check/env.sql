CREATE TABLE t (id INT NOT NULL PRIMARY KEY, amt INT, KEY ix_amount (amt),
  CONSTRAINT ck_amount CHECK (amt >= 0));
