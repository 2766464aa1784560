-- The unique key behind the foreign key is on code in the baseline, on ref in the env (and the key follows).
CREATE TABLE authors (id INT NOT NULL PRIMARY KEY, code INT NOT NULL, ref INT NOT NULL, UNIQUE KEY uk_ref (code));
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_ref INT, KEY ix_ref (author_ref),
  CONSTRAINT fk_ref FOREIGN KEY (author_ref) REFERENCES authors (code));
