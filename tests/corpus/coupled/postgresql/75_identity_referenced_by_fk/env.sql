CREATE TABLE authors (id int PRIMARY KEY, name text);
CREATE TABLE posts (id int PRIMARY KEY, author_id int);
