-- authors' primary key is (tenant_id, id) in the baseline, (id) in the env; posts reference id.
CREATE TABLE authors (tenant_id INT NOT NULL, id INT NOT NULL, PRIMARY KEY (tenant_id, id), KEY ix_id (id));
CREATE TABLE posts (id INT NOT NULL PRIMARY KEY, author_id INT, KEY ix_author (author_id),
  CONSTRAINT fk_author FOREIGN KEY (author_id) REFERENCES authors (id));
