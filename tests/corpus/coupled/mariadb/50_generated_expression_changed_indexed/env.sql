CREATE TABLE t (id INT NOT NULL PRIMARY KEY, first VARCHAR(20), last VARCHAR(20),
  full_name VARCHAR(41) AS (concat(last, ' ', first)) VIRTUAL, KEY ix_full (full_name));
