-- writer_id in the baseline, author_id in the env: an index and a key use it.
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, writer_id INT, KEY ix_author (writer_id),
  CONSTRAINT fk_author FOREIGN KEY (writer_id) REFERENCES authors (id));
