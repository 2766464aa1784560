-- A check in the column and in the table.
CREATE TABLE t (qty INT CHECK (qty > 0));
