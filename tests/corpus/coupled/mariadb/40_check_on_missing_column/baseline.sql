-- The check uses a column the env lacks.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, lo INT, hi INT, CONSTRAINT ck_range CHECK (lo <= hi));
