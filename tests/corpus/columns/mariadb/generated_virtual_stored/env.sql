CREATE TABLE g (
  id INT PRIMARY KEY,
  a INT,
  b INT AS (a * 2) VIRTUAL,
  c INT AS (a + 1) STORED COMMENT 'plus one',
  d INT,
  KEY ix_b (b),
  KEY ix_cb (c, b)
);
INSERT INTO g (id, a, d) VALUES (1, 1, 1), (2, 5, NULL);
