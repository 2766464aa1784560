-- The key is renamed and its server-made index carries the old name.
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT,
  CONSTRAINT fk_new FOREIGN KEY (author_id) REFERENCES authors (id));
