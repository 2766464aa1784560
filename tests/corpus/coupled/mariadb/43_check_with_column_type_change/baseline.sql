-- The column under a check changes type, and the check with it.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, code VARCHAR(10), CONSTRAINT ck_code CHECK (char_length(code) >= 2));
