-- An integer default quoted and bare, and a negative one.
CREATE TABLE t (a INT DEFAULT 0, b INT NOT NULL DEFAULT -1, c DECIMAL(5,2) DEFAULT 1.50);
