-- A table referencing itself (manager_id -> id).
CREATE TABLE employees (id int PRIMARY KEY, manager_id int,
  CONSTRAINT fk_manager FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE SET NULL);
CREATE INDEX ix_manager ON employees (manager_id);
