-- COLLATE "default" and no collation.
CREATE TABLE t (a text, b varchar(5));
