-- A column in CREATE TABLE or added by ALTER TABLE (same position).
CREATE TABLE t (id INTEGER PRIMARY KEY, v INT DEFAULT 0);
