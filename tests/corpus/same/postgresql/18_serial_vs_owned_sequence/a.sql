-- serial and what it stands for.
CREATE TABLE t (id serial, v int);
