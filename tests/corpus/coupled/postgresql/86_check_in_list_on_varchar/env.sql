CREATE TABLE t (id int PRIMARY KEY, s varchar(5));
