CREATE TABLE node (tree INTEGER, id INTEGER, parent INTEGER,
  PRIMARY KEY (tree, id),
  FOREIGN KEY (tree, parent) REFERENCES node (tree, id) DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX node_parent ON node (tree, parent);
