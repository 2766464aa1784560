-- The baseline's TEXT needs a prefix; the env's VARCHAR is indexed whole.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, body TEXT, KEY ix_body (body(100)));
