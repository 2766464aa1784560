-- Two keys on the same column to two parents; one missing in the env.
CREATE TABLE people (id int PRIMARY KEY);
CREATE TABLE authors (id int PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, author_id int,
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id),
  CONSTRAINT fk_person FOREIGN KEY (author_id) REFERENCES people (id));
