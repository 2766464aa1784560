-- ENUM and SET values in single and double quotes, with and without spaces.
CREATE TABLE t (a ENUM('x','y') NOT NULL DEFAULT 'x', b SET('p','q'));
