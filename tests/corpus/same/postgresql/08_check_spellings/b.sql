CREATE TABLE t (a int, b int, CONSTRAINT ck_ab CHECK (((A>0)) and (b != a)));
