-- A composite-free non-rowid primary key in the column and in the table.
CREATE TABLE t (code TEXT PRIMARY KEY, v INT);
