CREATE TABLE nodes (id INT NOT NULL PRIMARY KEY, parent_id INT, KEY ix_parent (parent_id),
  CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES nodes (id));
INSERT INTO nodes VALUES (1, NULL), (2, 1);
