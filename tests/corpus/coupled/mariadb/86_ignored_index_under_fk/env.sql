CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT, v INT, KEY ix_author (author_id), KEY ix_v (v) IGNORED,
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id));
