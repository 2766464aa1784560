-- An index over a generated column and a plain one; the env indexes only the plain one.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, doc VARCHAR(200), kind INT,
  dlen INT AS (char_length(doc)) VIRTUAL, KEY ix_kind_len (kind, dlen));
