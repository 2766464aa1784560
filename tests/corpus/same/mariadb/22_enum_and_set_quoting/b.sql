CREATE TABLE t (a ENUM ("x", "y") NOT NULL DEFAULT "x", b SET ('p', 'q'));
