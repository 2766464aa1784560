-- The parent's identity key (missing identity in the env) is referenced by a missing key.
CREATE TABLE authors (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text);
CREATE TABLE posts (id int PRIMARY KEY, author_id int CONSTRAINT fk_author REFERENCES authors (id) ON DELETE CASCADE);
