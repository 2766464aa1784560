-- The same constraints declared in another order.
CREATE TABLE p (id INTEGER PRIMARY KEY);
CREATE TABLE c (a INT, b INT, UNIQUE (a, b), FOREIGN KEY (a) REFERENCES p (id), CHECK (b > 0));
