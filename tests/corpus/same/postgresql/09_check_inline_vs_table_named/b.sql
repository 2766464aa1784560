CREATE TABLE t (qty int, price numeric, CONSTRAINT t_qty_check CHECK (qty > 0), CONSTRAINT ck_price CHECK (price >= 0));
