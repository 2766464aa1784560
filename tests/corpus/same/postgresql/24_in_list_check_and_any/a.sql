-- IN (...) on a varchar and the text pg_dump writes for it (= ANY (ARRAY[...]) with its casts).
CREATE TABLE t (s varchar(5), CONSTRAINT ck_s CHECK (s IN ('x', 'y')));
