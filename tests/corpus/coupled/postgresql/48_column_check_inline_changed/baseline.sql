-- A check written in the column's definition differs (named by the server alike).
CREATE TABLE t (id int PRIMARY KEY, qty int CHECK (qty >= 0));
