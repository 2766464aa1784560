CREATE TABLE t (s varchar(5), CONSTRAINT ck_s CHECK (s IN ('x'::varchar, 'y'::character varying)));
CREATE INDEX ix_s ON t (s) WHERE s IN ('a'::varchar, 'b'::varchar);
