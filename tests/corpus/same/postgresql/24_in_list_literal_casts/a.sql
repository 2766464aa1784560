-- IN (...) on a varchar with bare literals and with literals cast to the column's type.
CREATE TABLE t (s varchar(5), CONSTRAINT ck_s CHECK (s IN ('x', 'y')));
CREATE INDEX ix_s ON t (s) WHERE s IN ('a', 'b');
