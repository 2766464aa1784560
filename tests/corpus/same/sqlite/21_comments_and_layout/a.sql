-- SQL comments and line breaks inside the CREATE TABLE.
CREATE TABLE t (id INTEGER PRIMARY KEY, a INT NOT NULL, CHECK (a > 0));
