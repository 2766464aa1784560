CREATE SEQUENCE t_id_seq AS integer;
CREATE TABLE t (id integer NOT NULL DEFAULT nextval('t_id_seq'::regclass), v int);
ALTER SEQUENCE t_id_seq OWNED BY t.id;
