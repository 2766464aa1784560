-- The key's column is renamed and retyped, with the referenced key's type.
CREATE TABLE authors (id bigint PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, writer_id bigint CONSTRAINT fk_author REFERENCES authors (id));
CREATE INDEX ix_author ON posts (writer_id);
