-- Two tables reference authors (id); its primary key changes, a secondary key serves them.
CREATE TABLE authors (id INT NOT NULL, code INT NOT NULL, PRIMARY KEY (code), UNIQUE KEY uk_id (id));
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT, KEY ix_author (author_id),
  CONSTRAINT fk_post_author FOREIGN KEY (author_id) REFERENCES authors (id));
CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, author_id INT, KEY ix_author (author_id),
  CONSTRAINT fk_note_author FOREIGN KEY (author_id) REFERENCES authors (id));
