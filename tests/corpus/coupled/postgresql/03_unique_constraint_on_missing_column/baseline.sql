-- A UNIQUE constraint on a column the env lacks.
CREATE TABLE users (id int PRIMARY KEY, email text, CONSTRAINT uk_email UNIQUE (email));
