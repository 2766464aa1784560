-- The key references authors (code); the unique key behind it is (code, region) in the baseline.
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY, code INT NOT NULL, region INT NOT NULL,
  UNIQUE KEY uk_code (code, region));
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_code INT, KEY ix_code (author_code),
  CONSTRAINT fk_code FOREIGN KEY (author_code) REFERENCES authors (code));
