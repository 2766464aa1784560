CREATE TABLE cats (id INT NOT NULL PRIMARY KEY, parent_id INT, KEY ix_parent (parent_id),
  CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES cats (id) ON DELETE SET NULL);
