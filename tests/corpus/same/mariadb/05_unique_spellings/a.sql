-- An inline UNIQUE (the index is named after the column), UNIQUE KEY, CONSTRAINT ... UNIQUE.
CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(50) UNIQUE, code INT, CONSTRAINT uk_code UNIQUE (code));
