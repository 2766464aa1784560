CREATE TABLE t (email TEXT);
CREATE INDEX ix_email ON t (LOWER( email ));
