-- The parent is MyISAM in the env: its engine changes before the key is added.
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT, KEY ix_author (author_id),
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id)) ENGINE=InnoDB;
