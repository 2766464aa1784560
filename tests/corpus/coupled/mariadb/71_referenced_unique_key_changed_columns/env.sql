CREATE TABLE authors (id INT NOT NULL PRIMARY KEY, code INT NOT NULL, ref INT NOT NULL, UNIQUE KEY uk_ref (ref));
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_ref INT, KEY ix_ref (author_ref),
  CONSTRAINT fk_ref FOREIGN KEY (author_ref) REFERENCES authors (ref));
