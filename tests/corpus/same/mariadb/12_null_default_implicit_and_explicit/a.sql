-- DEFAULT NULL and NULL written or left out on nullable columns.
CREATE TABLE t (a INT, b VARCHAR(5), c DATETIME);
