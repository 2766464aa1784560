-- The index serving the key is IGNORED in the env (MariaDB 10.6+).
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT, v INT, KEY ix_author (author_id), KEY ix_v (v),
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id));
