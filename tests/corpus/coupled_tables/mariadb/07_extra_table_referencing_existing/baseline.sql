-- The env's extra table references an existing one.
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY);
