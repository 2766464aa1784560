-- The referenced column is author_id in the baseline, id in the env.
CREATE TABLE authors (author_id int PRIMARY KEY, name text);
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (author_id));
