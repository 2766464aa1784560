-- SERIAL and what it stands for.
CREATE TABLE t (id SERIAL, v INT);
