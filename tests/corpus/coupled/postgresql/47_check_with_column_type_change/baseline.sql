-- The column under a check changes type, and the check with it.
CREATE TABLE t (id int PRIMARY KEY, code text, CONSTRAINT ck_code CHECK (length(code) >= 2));
