CREATE TABLE t (email text);
CREATE INDEX ix_email ON t (LOWER( email ));
