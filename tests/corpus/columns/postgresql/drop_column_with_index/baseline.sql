-- issue 20: dropping an extra column drops every index on it (ix_code, and ix_code_kind
-- which also has a baseline column); a DROP INDEX after the DROP COLUMN fails.
CREATE TABLE items (id integer PRIMARY KEY, kind text);
CREATE INDEX ix_kind ON items (kind);
