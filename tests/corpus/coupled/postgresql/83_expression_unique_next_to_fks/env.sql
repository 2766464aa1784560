CREATE TABLE authors (id int PRIMARY KEY, email text);
CREATE INDEX uk_email ON authors (email);
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (id), editor_id int);
