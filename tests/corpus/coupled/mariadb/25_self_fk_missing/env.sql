CREATE TABLE employees (id INT NOT NULL PRIMARY KEY, manager_id INT);
INSERT INTO employees VALUES (1, NULL), (2, 1);
