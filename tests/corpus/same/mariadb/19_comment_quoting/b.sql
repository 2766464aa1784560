CREATE TABLE t (a INT COMMENT "it's a") COMMENT "it\'s t";
