-- The baseline's key got its index from the server (named after the key).
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT,
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id));
