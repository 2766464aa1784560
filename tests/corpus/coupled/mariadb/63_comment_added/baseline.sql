-- A table comment the env lacks.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY) COMMENT='orders of the shop';
