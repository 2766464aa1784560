-- int / integer / int4, bigint / int8, smallint / int2.
CREATE TABLE t (a int, b bigint, c smallint);
