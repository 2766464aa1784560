-- The comment differs, with a quote, a backslash and a line break.
CREATE TABLE t (id int PRIMARY KEY);
COMMENT ON TABLE t IS E'it''s the \\ one\nsecond line';
