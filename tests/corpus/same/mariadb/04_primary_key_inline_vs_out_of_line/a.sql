-- The primary key in the column, in the table, and added afterwards.
CREATE TABLE t1 (id INT NOT NULL PRIMARY KEY);
CREATE TABLE t2 (id INT NOT NULL PRIMARY KEY);
