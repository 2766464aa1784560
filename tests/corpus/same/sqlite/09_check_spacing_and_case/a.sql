-- A check with other spacing, parentheses and keyword case.
CREATE TABLE t (a INT, b INT, CHECK (a > 0 AND b <> a));
