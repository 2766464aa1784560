CREATE TABLE codes (code VARCHAR(10) COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY);
CREATE TABLE items (id INT NOT NULL PRIMARY KEY, code VARCHAR(10) COLLATE utf8mb4_general_ci, KEY ix_code (code),
  CONSTRAINT fk_code FOREIGN KEY (code) REFERENCES codes (code));
