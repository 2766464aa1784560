-- A composite index led by the key's column, DESC on the second part in the baseline.
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT, created DATETIME, KEY ix_author (author_id, created DESC),
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id));
