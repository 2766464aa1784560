-- AUTO_INCREMENT on a unique key in the baseline; the env's primary key is on it.
CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT, code VARCHAR(10) NOT NULL, PRIMARY KEY (code), UNIQUE KEY uk_id (id));
