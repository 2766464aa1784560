CREATE TABLE t (a text COLLATE "default", b varchar(5) COLLATE pg_catalog."default");
