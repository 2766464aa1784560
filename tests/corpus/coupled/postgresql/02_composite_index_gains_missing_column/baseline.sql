-- ix_ab covers (a, b); the env has no b and its ix_ab is on (a) only.
CREATE TABLE t (id int PRIMARY KEY, a int, b text NOT NULL DEFAULT '');
CREATE INDEX ix_ab ON t (a, b);
