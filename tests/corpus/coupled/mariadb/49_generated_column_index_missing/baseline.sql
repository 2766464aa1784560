-- A virtual generated column and its index, missing in the env.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, price INT, qty INT,
  total INT AS (price * qty) VIRTUAL, KEY ix_total (total));
