-- A stored generated column with a unique index; the env has the column, not the index.
CREATE TABLE t (id int PRIMARY KEY, email text, email_lc text GENERATED ALWAYS AS (lower(email)) STORED);
CREATE UNIQUE INDEX uk_email_lc ON t (email_lc);
