-- NULL and DEFAULT NULL written or left out.
CREATE TABLE t (a int, b text);
