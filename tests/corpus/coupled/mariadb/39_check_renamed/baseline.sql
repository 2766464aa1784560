-- The same check under another name.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, qty INT, CONSTRAINT ck_qty_positive CHECK (qty > 0));
