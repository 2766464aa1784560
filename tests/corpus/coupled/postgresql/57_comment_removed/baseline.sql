-- The env's comment is extra.
CREATE TABLE t (id int PRIMARY KEY);
