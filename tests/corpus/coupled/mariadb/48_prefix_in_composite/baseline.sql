-- A composite index with a prefix part over a column whose type changes.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a INT, s VARCHAR(300), KEY ix_as (a, s(30)));
