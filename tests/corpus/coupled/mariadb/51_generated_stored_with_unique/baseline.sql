-- A stored generated column with a unique key, and the env's plain column.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, email VARCHAR(100),
  email_lc VARCHAR(100) AS (lower(email)) STORED, UNIQUE KEY uk_email_lc (email_lc));
