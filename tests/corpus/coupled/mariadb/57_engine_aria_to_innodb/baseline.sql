-- Engine only.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT, KEY ix_v (v)) ENGINE=InnoDB;
