CREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(50), code INT, UNIQUE KEY email (email), UNIQUE INDEX uk_code (code));
