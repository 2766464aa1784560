-- Bare lower-case names and the same names quoted.
CREATE TABLE orders (id int PRIMARY KEY, customer_id int, CONSTRAINT ck_id CHECK (id > 0));
CREATE INDEX ix_customer ON orders (customer_id);
