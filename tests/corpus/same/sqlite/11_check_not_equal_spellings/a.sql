-- != and <> in a check.
CREATE TABLE t (a INT, CHECK (a <> 0));
