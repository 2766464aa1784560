CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT, created DATETIME, KEY ix_author (author_id, created),
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id));
