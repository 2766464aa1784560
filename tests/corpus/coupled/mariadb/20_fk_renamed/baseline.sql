-- The same key under another name (the index keeps its name).
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT, KEY ix_author (author_id),
  CONSTRAINT fk_posts_author FOREIGN KEY (author_id) REFERENCES authors (id));
