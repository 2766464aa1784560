-- issue 20: generated columns switched between VIRTUAL and STORED: MODIFY fails ("This is
-- not yet supported for generated columns"); the column is dropped and added again, and
-- the indexes on it (one its own, one shared) must be there afterwards, both ways.
CREATE TABLE g (
  id INT PRIMARY KEY,
  a INT,
  b INT AS (a * 2) STORED,
  c INT AS (a + 1) VIRTUAL COMMENT 'plus one',
  d INT,
  KEY ix_b (b),
  KEY ix_cb (c, b)
);
