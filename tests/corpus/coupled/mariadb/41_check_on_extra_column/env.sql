CREATE TABLE t (id INT NOT NULL PRIMARY KEY, lo INT, hi INT, KEY ix_hi (hi), CONSTRAINT ck_range CHECK (lo <= hi));
