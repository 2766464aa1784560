-- A UNIQUE constraint in the column and in the table, named as the server names it.
CREATE TABLE t (id int PRIMARY KEY, email text UNIQUE);
