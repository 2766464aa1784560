CREATE TABLE writers (id int PRIMARY KEY, nick text);
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES writers (id));
