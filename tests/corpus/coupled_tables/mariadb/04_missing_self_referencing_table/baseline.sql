-- A missing table that references itself.
CREATE TABLE keep (id INT NOT NULL PRIMARY KEY);
CREATE TABLE nodes (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, parent_id INT, KEY ix_parent (parent_id),
  CONSTRAINT fk_parent FOREIGN KEY (parent_id) REFERENCES nodes (id) ON DELETE SET NULL) COMMENT='tree';
