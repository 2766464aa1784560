-- A table comment as a plain and as an E'' literal.
CREATE TABLE t (id int);
COMMENT ON TABLE t IS 'it''s t';
