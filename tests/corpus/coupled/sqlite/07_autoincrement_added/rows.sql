INSERT INTO t VALUES (1, 'x'), (5, 'y');
