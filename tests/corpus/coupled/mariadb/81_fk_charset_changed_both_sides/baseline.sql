-- A VARCHAR key latin1 in the env, utf8mb4 in the baseline, on both sides.
CREATE TABLE codes (code VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY);
CREATE TABLE items (id INT NOT NULL PRIMARY KEY, code VARCHAR(10) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci,
  KEY ix_code (code), CONSTRAINT fk_code FOREIGN KEY (code) REFERENCES codes (code));
