-- A partial index whose predicate uses a column the env lacks.
CREATE TABLE jobs (id int PRIMARY KEY, state text, done boolean);
CREATE INDEX ix_open ON jobs (state) WHERE NOT done;
