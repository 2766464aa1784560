-- The referenced column is named author_id in the baseline, id in the env.
CREATE TABLE authors (author_id INT NOT NULL PRIMARY KEY, name VARCHAR(20));
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT, KEY ix_author (author_id),
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (author_id));
