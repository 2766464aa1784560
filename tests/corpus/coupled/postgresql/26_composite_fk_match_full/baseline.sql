-- MATCH FULL in the baseline, MATCH SIMPLE in the env.
CREATE TABLE p (a int NOT NULL, b int NOT NULL, PRIMARY KEY (a, b));
CREATE TABLE c (id int PRIMARY KEY, x int, y int, CONSTRAINT fk_p FOREIGN KEY (x, y) REFERENCES p (a, b) MATCH FULL);
