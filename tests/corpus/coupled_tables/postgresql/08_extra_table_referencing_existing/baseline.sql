-- The env's extra table references an existing one.
CREATE TABLE authors (id int PRIMARY KEY);
