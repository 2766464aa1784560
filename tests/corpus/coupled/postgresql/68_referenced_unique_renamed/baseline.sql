-- The unique constraint a foreign key references has another name.
CREATE TABLE authors (id int PRIMARY KEY, code int NOT NULL CONSTRAINT uk_authors_code UNIQUE);
CREATE TABLE posts (id int PRIMARY KEY, code int CONSTRAINT fk_code REFERENCES authors (code));
