-- The parent's key column is renamed; a check on it and a child key use it.
CREATE TABLE authors (author_no int PRIMARY KEY, CONSTRAINT ck_no CHECK (author_no > 0));
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (author_no));
