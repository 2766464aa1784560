-- The table's default collation differs; the column keeps its own explicit one.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, name VARCHAR(50) COLLATE utf8mb4_unicode_ci) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
