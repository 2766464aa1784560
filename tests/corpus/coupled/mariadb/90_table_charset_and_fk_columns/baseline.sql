-- The table default charset differs and so do its key columns; a key from another table uses them.
CREATE TABLE codes (code VARCHAR(8) NOT NULL PRIMARY KEY, label VARCHAR(20)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE items (id INT NOT NULL PRIMARY KEY, code VARCHAR(8), KEY ix_code (code),
  CONSTRAINT fk_code FOREIGN KEY (code) REFERENCES codes (code)) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
