CREATE TABLE t (qty INT, CHECK (qty > 0));
