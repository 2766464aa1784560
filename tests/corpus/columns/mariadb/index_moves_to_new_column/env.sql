CREATE TABLE t (
  id INT PRIMARY KEY,
  x INT,
  KEY ix_m (x)
);
INSERT INTO t VALUES (1, 10), (2, 20);
