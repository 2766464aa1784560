CREATE TABLE t (id int PRIMARY KEY, qty int, CONSTRAINT ck_qty CHECK (qty > 0));
