-- VARCHAR(200) with a 50-character prefix index; the env has VARCHAR(100) with 20.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, name VARCHAR(200), KEY ix_name (name(50)));
