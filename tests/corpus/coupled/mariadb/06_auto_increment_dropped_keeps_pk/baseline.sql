-- Same primary key; only the env's id is AUTO_INCREMENT.
CREATE TABLE t (id INT NOT NULL, v INT, PRIMARY KEY (id));
