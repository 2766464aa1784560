-- The env lacks posts, whose key references the existing authors.
CREATE TABLE authors (id int PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (id) ON DELETE CASCADE);
CREATE INDEX ix_author ON posts (author_id);
