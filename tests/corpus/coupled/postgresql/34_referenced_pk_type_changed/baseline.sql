-- The referenced key and the referencing column are bigint in the baseline, int in the env.
CREATE TABLE authors (id bigint PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, author_id bigint CONSTRAINT fk_author REFERENCES authors (id));
CREATE INDEX ix_author ON posts (author_id);
