INSERT INTO orders VALUES (1, 10, 'open'), (2, 5, 'done');
