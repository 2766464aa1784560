CREATE TABLE authors (id INT UNSIGNED NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT UNSIGNED, KEY ix_author (author_id),
  CONSTRAINT fk_post_author FOREIGN KEY (author_id) REFERENCES authors (id));
CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, author_id INT UNSIGNED, KEY ix_author (author_id),
  CONSTRAINT fk_note_author FOREIGN KEY (author_id) REFERENCES authors (id));
INSERT INTO authors VALUES (1); INSERT INTO posts VALUES (1, 1); INSERT INTO notes VALUES (1, 1);
