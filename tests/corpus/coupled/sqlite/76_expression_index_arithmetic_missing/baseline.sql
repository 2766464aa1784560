CREATE TABLE t (id INTEGER PRIMARY KEY, price REAL, qty INTEGER);
CREATE INDEX t_total ON t (price * qty DESC);
