-- The primary key in the column, in the table (named as the server names it), and added afterwards.
CREATE TABLE t1 (id int PRIMARY KEY);
CREATE TABLE t2 (id int PRIMARY KEY);
