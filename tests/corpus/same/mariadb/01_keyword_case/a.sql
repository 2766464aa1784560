-- Keywords and type names in upper case and in lower case.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(10) NOT NULL DEFAULT 'x', KEY ix_v (v)) ENGINE=InnoDB;
