-- The env's AUTO_INCREMENT primary key on id is a natural key on code in the baseline.
CREATE TABLE t (id INT NOT NULL, code VARCHAR(10) NOT NULL, v INT, PRIMARY KEY (code), KEY ix_id (id));
