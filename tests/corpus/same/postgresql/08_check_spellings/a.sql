-- != and <>, spacing, parentheses and case in a check.
CREATE TABLE t (a int, b int, CONSTRAINT ck_ab CHECK (a > 0 AND b <> a));
