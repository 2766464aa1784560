-- A check with IN on a varchar column, missing in the env.
CREATE TABLE t (id int PRIMARY KEY, s varchar(5), CONSTRAINT ck_s CHECK (s IN ('x', 'y')));
