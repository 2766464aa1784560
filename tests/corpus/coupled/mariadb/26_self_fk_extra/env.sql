CREATE TABLE employees (id INT NOT NULL PRIMARY KEY, manager_id INT,
  CONSTRAINT fk_manager FOREIGN KEY (manager_id) REFERENCES employees (id));
