-- ON DELETE SET DEFAULT with the column's default, missing in the env.
CREATE TABLE authors (id int PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, author_id int DEFAULT 0 CONSTRAINT fk_author REFERENCES authors (id) ON DELETE SET DEFAULT);
