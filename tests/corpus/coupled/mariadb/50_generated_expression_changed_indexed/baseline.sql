-- The generated column's expression differs; its index stays.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, first VARCHAR(20), last VARCHAR(20),
  full_name VARCHAR(41) AS (concat(first, ' ', last)) VIRTUAL, KEY ix_full (full_name));
