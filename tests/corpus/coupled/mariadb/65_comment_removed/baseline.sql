-- The env's comment is extra.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY);
