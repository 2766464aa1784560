-- The key's column, its index and the key are all missing in the env.
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, title VARCHAR(50), author_id INT,
  KEY ix_author (author_id), CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id));
