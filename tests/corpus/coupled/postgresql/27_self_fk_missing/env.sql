CREATE TABLE employees (id int PRIMARY KEY, manager_id int);
INSERT INTO employees VALUES (1, NULL), (2, 1);
