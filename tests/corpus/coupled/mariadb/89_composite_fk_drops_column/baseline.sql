-- The env's key is (tenant_id, author_id) with an extra column; the baseline's (author_id) only, no tenant column.
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT, KEY ix_author (author_id),
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id));
