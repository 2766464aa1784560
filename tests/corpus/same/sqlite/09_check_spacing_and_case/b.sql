CREATE TABLE t (a INT, b INT, check(((a>0 AND b <> a))));
