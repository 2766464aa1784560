-- A check with and without spaces, parentheses, backticks and in another case.
CREATE TABLE t (a INT, b INT, CONSTRAINT ck_ab CHECK (a > 0 AND b < 10), CONSTRAINT ck_b CHECK (b <> a));
