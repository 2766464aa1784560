-- The key's column has a check too; both missing in the env.
CREATE TABLE authors (id int PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (id),
  CONSTRAINT ck_author CHECK (author_id > 0));
