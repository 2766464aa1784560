CREATE TABLE t (id int PRIMARY KEY, email text, email_lc text GENERATED ALWAYS AS (lower(email)) STORED);
