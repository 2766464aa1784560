INSERT INTO n VALUES (1, 'a'), (2, 'b');
