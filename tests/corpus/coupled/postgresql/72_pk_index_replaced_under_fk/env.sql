CREATE TABLE authors (id int NOT NULL, code int);
CREATE UNIQUE INDEX uk_id ON authors (id);
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (id));
