-- issue 20: dropping an extra column drops the indexes that name it anywhere: in an
-- expression, a partial index's predicate, an INCLUDE list; dropping them after the
-- column fails.
CREATE TABLE users (id integer PRIMARY KEY, email text);
CREATE INDEX ix_email ON users (email);
