-- The key's column is renamed and retyped, with the referenced key's type.
CREATE TABLE authors (id BIGINT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, writer_id BIGINT, KEY ix_author (writer_id),
  CONSTRAINT fk_author FOREIGN KEY (writer_id) REFERENCES authors (id));
