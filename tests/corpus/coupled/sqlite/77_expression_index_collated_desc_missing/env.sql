CREATE TABLE t (id INTEGER PRIMARY KEY, first TEXT, last TEXT);
CREATE INDEX t_name ON t (first || ' ' || last);
