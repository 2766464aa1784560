-- A stored generated column and its index, missing in the env.
CREATE TABLE t (id int PRIMARY KEY, price int, qty int, total int GENERATED ALWAYS AS (price * qty) STORED);
CREATE INDEX ix_total ON t (total);
