-- The env has a key and an index the baseline lacks (--drop-extra drops both).
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT);
