-- Two tables reference authors (id); the primary key is on code in the baseline, id has a unique key.
CREATE TABLE authors (id int NOT NULL CONSTRAINT uk_id UNIQUE, code int NOT NULL PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_post_author REFERENCES authors (id));
CREATE TABLE notes (id int PRIMARY KEY, author_id int CONSTRAINT fk_note_author REFERENCES authors (id));
