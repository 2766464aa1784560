CREATE TABLE events ();
CREATE TABLE tags (id integer PRIMARY KEY, name text);
