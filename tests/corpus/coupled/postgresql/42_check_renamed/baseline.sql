-- The same check under another name.
CREATE TABLE t (id int PRIMARY KEY, qty int, CONSTRAINT ck_qty_positive CHECK (qty > 0));
