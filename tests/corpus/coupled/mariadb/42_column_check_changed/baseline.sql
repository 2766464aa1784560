-- A check written in the column's definition differs.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, qty INT CHECK (qty >= 0));
