CREATE TABLE authors (id int PRIMARY KEY, CONSTRAINT ck_no CHECK (id > 0));
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (id));
