CREATE TABLE authors (id int PRIMARY KEY, code int NOT NULL, name text);
CREATE UNIQUE INDEX uk_code ON authors (code);
CREATE TABLE posts (id int PRIMARY KEY, code int CONSTRAINT fk_code REFERENCES authors (code));
