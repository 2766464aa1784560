-- An unnamed table check and one named as the server names it (CONSTRAINT_1).
CREATE TABLE t (a INT, CHECK (a > 0));
