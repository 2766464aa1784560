CREATE TABLE authors (id int PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (id));
INSERT INTO authors VALUES (1); INSERT INTO posts VALUES (1, 1);
