-- A column in CREATE TABLE or added by ALTER TABLE (same position).
CREATE TABLE t (id int PRIMARY KEY, v int NOT NULL DEFAULT 0);
