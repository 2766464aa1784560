-- A table referencing itself (manager_id -> id).
CREATE TABLE employees (id INT NOT NULL PRIMARY KEY, manager_id INT, KEY ix_manager (manager_id),
  CONSTRAINT fk_manager FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE SET NULL);
