-- The referenced primary key constraint has another name in the env.
CREATE TABLE authors (id int CONSTRAINT authors_pkey PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (id));
