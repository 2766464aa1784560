CREATE TABLE authors (id int PRIMARY KEY, code int NOT NULL CONSTRAINT uk_code UNIQUE);
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (id));
