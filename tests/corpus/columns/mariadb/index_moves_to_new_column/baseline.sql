-- issue 20: an index changed to a column the env lacks, from a column the baseline
-- lacks: its old form goes before the column is dropped, its new one after the column
-- is added, and the rollback the other way round.
CREATE TABLE t (
  id INT PRIMARY KEY,
  m VARCHAR(20),
  KEY ix_m (m)
);
