CREATE TABLE t (id INTEGER PRIMARY KEY, quantity INTEGER CHECK (quantity >= 0));
CREATE INDEX t_qty ON t (quantity);
