-- The unique key a foreign key references is renamed.
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY, code INT NOT NULL, UNIQUE KEY uk_authors_code (code));
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_code INT, KEY ix_code (author_code),
  CONSTRAINT fk_code FOREIGN KEY (author_code) REFERENCES authors (code));
