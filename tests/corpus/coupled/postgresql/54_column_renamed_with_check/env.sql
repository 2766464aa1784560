CREATE TABLE t (id int PRIMARY KEY, amt int, CONSTRAINT ck_amount CHECK (amt >= 0));
CREATE INDEX ix_amount ON t (amt);
