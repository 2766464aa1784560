-- Two children reference the parent key whose type changes with theirs.
CREATE TABLE authors (id BIGINT UNSIGNED NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id BIGINT UNSIGNED, KEY ix_author (author_id),
  CONSTRAINT fk_post_author FOREIGN KEY (author_id) REFERENCES authors (id));
CREATE TABLE notes (id INT NOT NULL PRIMARY KEY, author_id BIGINT UNSIGNED, KEY ix_author (author_id),
  CONSTRAINT fk_note_author FOREIGN KEY (author_id) REFERENCES authors (id));
