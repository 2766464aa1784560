-- A NOT VALID check on a column whose type changes.
CREATE TABLE t (id int PRIMARY KEY, qty bigint);
ALTER TABLE t ADD CONSTRAINT ck_qty CHECK (qty > 0) NOT VALID;
