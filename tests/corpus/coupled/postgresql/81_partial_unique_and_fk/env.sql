CREATE TABLE authors (id int PRIMARY KEY, code int NOT NULL, active boolean, CONSTRAINT uk_code UNIQUE (code));
CREATE TABLE posts (id int PRIMARY KEY, code int CONSTRAINT fk_code REFERENCES authors (code));
