-- public.t and t.
CREATE TABLE t (id int PRIMARY KEY, v int);
CREATE INDEX ix_v ON t (v);
