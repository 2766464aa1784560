CREATE TABLE t (a INT, b INT, CONSTRAINT ck_ab CHECK ((`a`>0) and (`b`<10)), CONSTRAINT ck_b CHECK (B != A));
