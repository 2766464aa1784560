CREATE TABLE t (id int PRIMARY KEY, lo int);
