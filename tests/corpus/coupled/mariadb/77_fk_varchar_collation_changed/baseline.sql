-- A VARCHAR key whose collation differs on both sides.
CREATE TABLE codes (code VARCHAR(10) COLLATE utf8mb4_bin NOT NULL PRIMARY KEY);
CREATE TABLE items (id INT NOT NULL PRIMARY KEY, code VARCHAR(10) COLLATE utf8mb4_bin, KEY ix_code (code),
  CONSTRAINT fk_code FOREIGN KEY (code) REFERENCES codes (code));
