-- A key the env's table has in common with the baseline, next to a missing one and an index change.
CREATE TABLE authors (id int PRIMARY KEY, email text);
CREATE UNIQUE INDEX uk_email ON authors (lower(email));
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (id), editor_id int CONSTRAINT fk_editor REFERENCES authors (id));
