-- The table's default character set differs, and with it its text columns'.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, name VARCHAR(50), KEY ix_name (name)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
