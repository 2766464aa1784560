-- The env's table has no id column (and no key): it comes with AUTO_INCREMENT and the primary key.
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, v INT, PRIMARY KEY (id));
