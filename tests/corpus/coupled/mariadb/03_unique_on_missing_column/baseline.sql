-- A unique key on a column the env lacks.
CREATE TABLE users (id INT NOT NULL PRIMARY KEY, email VARCHAR(100), UNIQUE KEY uk_email (email));
