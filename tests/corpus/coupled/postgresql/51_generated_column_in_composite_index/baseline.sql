-- An index over a generated column and a plain one; the env indexes only the plain one.
CREATE TABLE t (id int PRIMARY KEY, doc text, kind int, dlen int GENERATED ALWAYS AS (length(doc)) STORED);
CREATE INDEX ix_kind_len ON t (kind, dlen);
