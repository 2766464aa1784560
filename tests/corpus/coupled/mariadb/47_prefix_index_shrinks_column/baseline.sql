-- The env's column is too long for the baseline's whole-column index: prefix in the env.
CREATE TABLE t (id INT NOT NULL PRIMARY KEY, tag VARCHAR(64), KEY ix_tag (tag));
