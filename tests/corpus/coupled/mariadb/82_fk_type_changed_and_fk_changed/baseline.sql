-- The key's columns change type and the key changes its rule too.
CREATE TABLE authors (id BIGINT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id BIGINT, KEY ix_author (author_id),
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE);
