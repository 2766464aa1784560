CREATE TABLE employees (id int PRIMARY KEY, manager_id int CONSTRAINT fk_manager REFERENCES employees (id));
