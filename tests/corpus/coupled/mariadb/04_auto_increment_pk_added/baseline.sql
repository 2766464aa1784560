-- The env's id has neither AUTO_INCREMENT nor the primary key.
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, v INT, PRIMARY KEY (id));
