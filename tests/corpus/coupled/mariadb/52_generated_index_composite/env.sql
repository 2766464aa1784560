CREATE TABLE t (id INT NOT NULL PRIMARY KEY, doc VARCHAR(200), kind INT, KEY ix_kind_len (kind));
