CREATE TABLE authors (id int NOT NULL PRIMARY KEY, code int NOT NULL);
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_post_author REFERENCES authors (id));
CREATE TABLE notes (id int PRIMARY KEY, author_id int CONSTRAINT fk_note_author REFERENCES authors (id));
INSERT INTO authors VALUES (1, 10); INSERT INTO posts VALUES (1, 1); INSERT INTO notes VALUES (1, 1);
