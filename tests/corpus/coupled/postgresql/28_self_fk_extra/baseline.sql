-- The env's self-reference is extra.
CREATE TABLE employees (id int PRIMARY KEY, manager_id int);
