-- A column, an index, a key, a check and options together on one table.
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, author_id INT, score INT,
  KEY ix_author_score (author_id, score),
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE,
  CONSTRAINT ck_score CHECK (score BETWEEN 0 AND 10)) COMMENT='posts' ROW_FORMAT=COMPACT;
