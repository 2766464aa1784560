INSERT INTO t VALUES ('a', 'x');
