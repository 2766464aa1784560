-- A partial index whose predicate is IN on a varchar column, missing in the env, and one whose list differs.
CREATE TABLE jobs (id int PRIMARY KEY, state varchar(10), kind varchar(10));
CREATE INDEX ix_open ON jobs (id) WHERE state IN ('new', 'running');
CREATE INDEX ix_kind ON jobs (id) WHERE kind IN ('a', 'b', 'c');
