-- The parent's AUTO_INCREMENT key and the child's key to it are both missing in the env.
CREATE TABLE authors (id INT NOT NULL AUTO_INCREMENT, name VARCHAR(20), PRIMARY KEY (id));
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT, KEY ix_author (author_id),
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id));
