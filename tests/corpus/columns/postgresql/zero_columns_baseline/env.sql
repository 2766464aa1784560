CREATE TABLE events (id integer, kind text NOT NULL DEFAULT 'x');
CREATE TABLE tags (id integer PRIMARY KEY, name text);
