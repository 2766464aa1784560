CREATE TABLE people (id int PRIMARY KEY);
CREATE TABLE authors (id int PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, author_id int,
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id));
