CREATE TABLE t (a int4, b int8, c int2);
