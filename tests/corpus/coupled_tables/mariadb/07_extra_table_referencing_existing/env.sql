CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
CREATE TABLE drafts (id INT NOT NULL PRIMARY KEY, author_id INT, KEY ix_author (author_id),
  CONSTRAINT fk_draft_author FOREIGN KEY (author_id) REFERENCES authors (id));
