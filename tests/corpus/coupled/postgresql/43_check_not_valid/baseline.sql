-- The baseline's check is NOT VALID (old rows unchecked); the env's is validated.
CREATE TABLE t (id int PRIMARY KEY, qty int);
ALTER TABLE t ADD CONSTRAINT ck_qty CHECK (qty > 0) NOT VALID;
