CREATE TABLE t (a text DEFAULT 'x'::text, b int DEFAULT '-1'::integer, c varchar(5) DEFAULT 'y'::character varying, d numeric DEFAULT 0.00);
