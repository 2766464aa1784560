-- Only the table's collation (and its column's) differs.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, name VARCHAR(50), UNIQUE KEY uk_name (name)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
