CREATE TABLE keep (id int PRIMARY KEY);
CREATE TABLE scratch (id int PRIMARY KEY, v int);
CREATE INDEX ix_v ON scratch (v);
INSERT INTO scratch VALUES (1, 1);
