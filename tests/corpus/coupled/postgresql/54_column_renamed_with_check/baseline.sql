-- A renamed column a check and an index use.
CREATE TABLE t (id int PRIMARY KEY, amount int, CONSTRAINT ck_amount CHECK (amount >= 0));
CREATE INDEX ix_amount ON t (amount);
