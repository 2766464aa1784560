-- issue 20: the baseline's table has no columns; the env's are extra.
CREATE TABLE events ();
CREATE TABLE tags (id integer PRIMARY KEY, name text);
