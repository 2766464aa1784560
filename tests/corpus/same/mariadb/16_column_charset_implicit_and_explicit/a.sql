-- A column's character set and collation written when they are the table's.
CREATE TABLE t (name VARCHAR(20)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
