-- A serial primary key column the env lacks.
CREATE TABLE t (v int, id serial PRIMARY KEY);
