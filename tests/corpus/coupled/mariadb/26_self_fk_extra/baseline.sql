-- The env's self-reference is extra.
CREATE TABLE employees (id INT NOT NULL PRIMARY KEY, manager_id INT);
