-- A table check the env lacks.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, qty INT, CONSTRAINT ck_qty CHECK (qty >= 0));
