-- The comment differs, with a quote and a backslash.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY) COMMENT='it''s the \\ one';
