-- The key's column (last), its index and the key are missing in the env.
CREATE TABLE authors (id int PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, title text, author_id int REFERENCES authors (id));
CREATE INDEX ix_author ON posts (author_id);
