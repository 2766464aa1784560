-- The baseline has no ROW_FORMAT (DYNAMIC), the env COMPACT.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, body TEXT);
