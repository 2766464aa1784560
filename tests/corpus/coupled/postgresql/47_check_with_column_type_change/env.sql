CREATE TABLE t (id int PRIMARY KEY, code int, CONSTRAINT ck_code CHECK (code > 0));
