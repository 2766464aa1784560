-- The key references authors (id): its primary key in the baseline, a unique index (no primary key) in the env.
CREATE TABLE authors (id int PRIMARY KEY, code int);
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (id));
