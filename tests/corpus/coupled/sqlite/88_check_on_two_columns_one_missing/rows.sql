INSERT INTO span VALUES (1, 5), (2, 7);
