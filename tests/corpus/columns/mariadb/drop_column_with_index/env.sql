CREATE TABLE t (
  id INT PRIMARY KEY,
  a INT,
  x INT,
  y INT,
  KEY ix_x (x),
  KEY ix_ax (a, x),
  UNIQUE KEY uq_ay (a, y)
);
INSERT INTO t VALUES (1, 1, 1, 1), (2, 1, 2, 2);
