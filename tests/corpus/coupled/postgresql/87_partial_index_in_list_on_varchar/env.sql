CREATE TABLE jobs (id int PRIMARY KEY, state varchar(10), kind varchar(10));
CREATE INDEX ix_kind ON jobs (id) WHERE kind IN ('a', 'b');
