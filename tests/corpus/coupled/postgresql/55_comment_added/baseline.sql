-- A table comment the env lacks.
CREATE TABLE t (id int PRIMARY KEY);
COMMENT ON TABLE t IS 'orders of the shop';
