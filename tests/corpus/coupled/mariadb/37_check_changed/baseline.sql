-- The same check name, another expression.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, qty INT, CONSTRAINT ck_qty CHECK (qty >= 0 AND qty < 1000));
