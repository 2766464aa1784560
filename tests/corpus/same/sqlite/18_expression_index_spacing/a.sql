-- An expression index with other spacing and case.
CREATE TABLE t (email TEXT);
CREATE INDEX ix_email ON t (lower(email));
