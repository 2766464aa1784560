CREATE TABLE p (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a, b), CONSTRAINT uk_ba UNIQUE (b, a));
CREATE TABLE c (id int PRIMARY KEY, x int, y int, CONSTRAINT fk_p FOREIGN KEY (x, y) REFERENCES p (b, a));
