CREATE TABLE t (
  id INTEGER PRIMARY KEY, -- the rowid
  a INT NOT NULL /* required */,
  CHECK (a > 0)
);
