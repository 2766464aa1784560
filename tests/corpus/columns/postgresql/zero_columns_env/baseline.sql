-- issue 20: the env's table has no columns at all; the baseline's columns are missing.
CREATE TABLE events (id integer, kind text NOT NULL DEFAULT 'x');
CREATE TABLE tags (id integer PRIMARY KEY, name text);
