CREATE TABLE posts (id int PRIMARY KEY, author_id int);
