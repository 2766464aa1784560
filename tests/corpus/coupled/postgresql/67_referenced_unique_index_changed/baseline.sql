-- The unique index behind the key is a plain unique index in both, with INCLUDE only in the baseline.
CREATE TABLE authors (id int PRIMARY KEY, code int NOT NULL, name text);
CREATE UNIQUE INDEX uk_code ON authors (code) INCLUDE (name);
CREATE TABLE posts (id int PRIMARY KEY, code int CONSTRAINT fk_code REFERENCES authors (code));
