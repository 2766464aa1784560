CREATE TABLE t (id int);
COMMENT ON TABLE t IS E'it\'s t';
