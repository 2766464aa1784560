CREATE TABLE t (s varchar(5), CONSTRAINT ck_s CHECK (((s)::text = ANY ((ARRAY['x'::character varying, 'y'::character varying])::text[]))));
