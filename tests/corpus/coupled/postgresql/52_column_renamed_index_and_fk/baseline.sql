-- writer_id in the baseline, author_id in the env: an index and a key use it.
CREATE TABLE authors (id int PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, writer_id int CONSTRAINT fk_author REFERENCES authors (id));
CREATE INDEX ix_author ON posts (writer_id);
