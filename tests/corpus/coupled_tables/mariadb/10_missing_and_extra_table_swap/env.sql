CREATE TABLE writers (id INT NOT NULL PRIMARY KEY, nick VARCHAR(20));
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT, KEY ix_author (author_id),
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES writers (id));
