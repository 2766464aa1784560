-- UNIQUE in the column and in the table.
CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT UNIQUE);
