-- An expression index written with other spacing and case.
CREATE TABLE t (email text);
CREATE INDEX ix_email ON t (lower(email));
