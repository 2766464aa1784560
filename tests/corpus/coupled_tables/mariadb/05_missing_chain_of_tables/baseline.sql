-- Two missing tables in a chain down from an existing one (a -> b -> existing).
CREATE TABLE root (id INT NOT NULL PRIMARY KEY);
CREATE TABLE mid (id INT NOT NULL PRIMARY KEY, root_id INT, KEY ix_root (root_id),
  CONSTRAINT fk_mid_root FOREIGN KEY (root_id) REFERENCES root (id));
CREATE TABLE leaf (id INT NOT NULL PRIMARY KEY, mid_id INT, KEY ix_mid (mid_id),
  CONSTRAINT fk_leaf_mid FOREIGN KEY (mid_id) REFERENCES mid (id));
